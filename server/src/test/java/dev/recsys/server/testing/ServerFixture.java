package dev.recsys.server.testing;

import dev.recsys.proto.v1.ModelAdminGrpc;
import dev.recsys.proto.v1.RecommenderGrpc;
import dev.recsys.server.RecsysServer;
import dev.recsys.server.config.Device;
import dev.recsys.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a server on a registry, in-process or on a real port, with a channel to it. */
public final class ServerFixture implements AutoCloseable {

  public final RecsysServer server;
  public final ManagedChannel channel;

  private ServerFixture(RecsysServer server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  /** The server's limit on one call's work unless a test chooses it (the command line's default). */
  private static final Duration MAX_CALL_TIME = Duration.ofSeconds(10);

  /** Settings for tests: fast polling, no metrics port unless asked. */
  public static ServerConfig config(Path registry, int metricsPort, boolean batching, int maxCalls) {
    return config(registry, metricsPort, batching, maxCalls, Duration.ofSeconds(5));
  }

  /** As above, with the longest wait for one of the four workers (virtual threads with batching) chosen. */
  public static ServerConfig config(Path registry, int metricsPort, boolean batching, int maxCalls, Duration maxQueueWait) {
    return config(registry, metricsPort, batching, maxCalls, maxQueueWait, 8, Duration.ofMillis(2), true, Duration.ZERO, MAX_CALL_TIME, -1);
  }

  /** Plain settings (no metrics port, 64 calls) with a plaintext health port (0: a free one). */
  public static ServerConfig healthPort(Path registry, int healthPort) {
    return config(registry, -1, false, 64, Duration.ofSeconds(5), 8, Duration.ofMillis(2), true, Duration.ZERO, MAX_CALL_TIME, healthPort);
  }

  /** Plain settings (no metrics port, 64 calls) with the server's limit on one call's work chosen. */
  public static ServerConfig maxCallTime(Path registry, Duration maxCallTime) {
    return config(registry, -1, false, 64, Duration.ofSeconds(5), 8, Duration.ofMillis(2), true, Duration.ZERO, maxCallTime, -1);
  }

  /** A server whose ranking model scores in batches (the Java kernel, a batch per pass) of up to {@code batchSize} or {@code delay}. */
  public static ServerConfig batched(Path registry, int metricsPort, int batchSize, Duration delay) {
    return config(registry, metricsPort, true, 1024, Duration.ofSeconds(5), batchSize, delay, true, Duration.ZERO, MAX_CALL_TIME, -1);
  }

  /** Plain settings (no metrics port, 64 calls), a version's graph index used or not, and each loaded version warmed up for {@code warmUp}. */
  public static ServerConfig graphIndex(Path registry, boolean graphIndex, Duration warmUp) {
    return config(registry, -1, false, 64, Duration.ofSeconds(5), 8, Duration.ofMillis(2), graphIndex, warmUp, MAX_CALL_TIME, -1);
  }

  private static ServerConfig config(Path registry, int metricsPort, boolean batching, int maxCalls, Duration maxQueueWait, int batchSize,
      Duration batchDelay, boolean graphIndex, Duration warmUp, Duration maxCallTime, int healthPort) {
    return new ServerConfig(registry, TrainedRegistry.MODEL, "127.0.0.1", 0, metricsPort, healthPort, Device.CPU, batching, graphIndex, warmUp, batchSize,
        batchDelay, maxCalls, maxQueueWait, maxCallTime, batching ? 0 : 4, Duration.ofMillis(200), Duration.ofMinutes(2), 0, Duration.ofSeconds(5), 4 << 20, 8192,
        10_000, 1_000, Duration.ZERO, ServerConfig.Security.none());
  }

  /** An in-process server (direct transport, same semantics). */
  public static ServerFixture inProcess(ServerConfig config) throws IOException {
    String name = InProcessServerBuilder.generateName();
    RecsysServer s = new RecsysServer(config, InProcessServerBuilder.forName(name), Clock.systemUTC(), List.of()).start();
    return new ServerFixture(s, InProcessChannelBuilder.forName(name).build());
  }

  /**
   * A Netty server on a real loopback port, built as {@code recsys-server} builds it (TLS included),
   * with a plaintext channel to it (TLS tests open their own channels).
   */
  public static ServerFixture onPort(ServerConfig config, List<ServerInterceptor> interceptors) throws IOException {
    RecsysServer s = RecsysServer.onNetty(config, Clock.systemUTC(), interceptors).start();
    return new ServerFixture(s, NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build());
  }

  /** Waits until a version serves in production. */
  public ServerFixture awaitServing(long version) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (server.models().snapshot().production() != version) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("version " + version + " did not start serving; failures: " + server.models().failures());
      }
      Thread.sleep(20);
    }
    return this;
  }

  public RecommenderGrpc.RecommenderBlockingStub recommender() {
    return RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public ModelAdminGrpc.ModelAdminBlockingStub admin() {
    return ModelAdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
  }
}
