package dev.recsys.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one connection may do on a real Netty socket: reset streams only at a bounded rate (HTTP/2
 * rapid reset). Health {@code Watch} calls stay open until cancelled, which makes streams easy to
 * hold and to reset.
 */
class ConnectionLimitsTest {

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** A Health.Watch call; {@code first} completes with its first answer, {@code end} with how it ended. */
  private record Watch(ClientCall<HealthCheckRequest, HealthCheckResponse> call, CompletableFuture<HealthCheckResponse> first,
      CompletableFuture<Status> end) {

    static Watch start(ManagedChannel channel) {
      ClientCall<HealthCheckRequest, HealthCheckResponse> call = channel.newCall(HealthGrpc.getWatchMethod(), io.grpc.CallOptions.DEFAULT);
      CompletableFuture<HealthCheckResponse> first = new CompletableFuture<>();
      CompletableFuture<Status> end = new CompletableFuture<>();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(HealthCheckResponse message) {
          first.complete(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          end.complete(status);
        }
      }, new Metadata());
      call.sendMessage(HealthCheckRequest.getDefaultInstance());
      call.halfClose();
      call.request(Integer.MAX_VALUE);
      return new Watch(call, first, end);
    }
  }

  private ServerFixture start() throws Exception {
    ServerFixture f = ServerFixture.onPort(ServerFixture.config(TrainedRegistry.copyInto(dir.resolve("registry")), -1, false, 8), List.of());
    open.add(f);
    return f.awaitServing(1);
  }

  private ManagedChannel channel(ServerFixture f) {
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", f.server.port()).usePlaintext().build();
    open.add(() -> c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return c;
  }

  @Test
  void aConnectionResettingStreamsFasterThanTheLimit_isClosed_othersKeepServing() throws Exception {
    ServerFixture f = start();
    ManagedChannel attacker = channel(f);
    Watch victim = Watch.start(attacker);
    victim.first().get(10, TimeUnit.SECONDS);
    ManagedChannel honest = channel(f);
    Watch bystander = Watch.start(honest);
    bystander.first().get(10, TimeUnit.SECONDS);

    // Open and cancel streams as fast as the client can: each cancel is a RST_STREAM. Each stream
    // is cancelled once it reached the server (its first answer came back): a real reset.
    int resets = 0;
    while (resets < RecsysServer.MAX_RESETS_PER_WINDOW * 3 && !victim.end().isDone()) {
      Watch w = Watch.start(attacker);
      CompletableFuture.anyOf(w.first(), w.end()).get(10, TimeUnit.SECONDS);
      if (w.end().isDone()) {
        break;
      }
      w.call().cancel("rapid reset", null);
      resets++;
    }

    Status ended = victim.end().get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, ended.getCode(), "the resetting connection was closed under its other calls: " + ended);
    assertTrue(ended.getDescription().contains("ENHANCE_YOUR_CALM"), ended.getDescription());
    assertTrue(resets >= RecsysServer.MAX_RESETS_PER_WINDOW && resets <= RecsysServer.MAX_RESETS_PER_WINDOW + 50,
        "closed after the limit of resets, not before: " + resets);
    assertNull(bystander.end().getNow(null), "another connection's call is untouched");
    assertEquals(HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(honest).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
  }
}
