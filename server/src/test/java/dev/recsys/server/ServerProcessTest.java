package dev.recsys.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.proto.v1.ModelAdminGrpc;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommenderGrpc;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recsys-server} as a real process: killed with SIGKILL after a promotion, a new process
 * serves the promoted version again (not the newest, not the one it started with); SIGTERM drains
 * and exits; and neither process ever writes the admin token to its output, even after refusing a
 * wrong one.
 */
class ServerProcessTest {

  private static final String TOKEN = "process-test-admin-token-5f1c";
  private static final Pattern LISTENING = Pattern.compile("gRPC on [^:]+:(\\d+)");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final StringBuffer output = new StringBuffer();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private record Running(Process process, int port) {}

  private Running start(Path registry, Path token) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"),
        "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
        "--registry", registry.toString(), "--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1",
        "--poll-seconds", "0.2", "--drain-seconds", "5", "--admin-token-file", token.toString(), "--allow-plaintext-tokens"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    BlockingQueue<Integer> port = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.append(line).append('\n');
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.add(Integer.parseInt(m.group(1)));
          }
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    Integer listening = port.poll(90, TimeUnit.SECONDS);
    assertTrue(listening != null, "the server did not start:\n" + output);
    return new Running(p, listening);
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private static long servedBy(ManagedChannel c) {
    return RecommenderGrpc.newBlockingStub(c).withDeadlineAfter(20, TimeUnit.SECONDS)
        .recommend(RecommendRequest.newBuilder().setUserId(4).setK(3).build()).getServedBy().getVersion();
  }

  private static void awaitServedBy(ManagedChannel c, long version) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      try {
        var health = HealthGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
        if (health.getStatus() == HealthCheckResponse.ServingStatus.SERVING && servedBy(c) == version) {
          return;
        }
      } catch (StatusRuntimeException e) {
        // starting up
      }
      assertTrue(System.nanoTime() < deadline, "version " + version + " was not served within 90 s");
      Thread.sleep(100);
    }
  }

  private static ModelAdminGrpc.ModelAdminBlockingStub admin(ManagedChannel c, String token) {
    return ModelAdminGrpc.newBlockingStub(c).withDeadlineAfter(20, TimeUnit.SECONDS).withCallCredentials(new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(m);
      }
    });
  }

  @Test
  void afterSigkill_aRestartedServerServesThePromotedVersion_andNoProcessLogsTheToken() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    long promoted = TrainedRegistry.copyVersion(registry, 1);
    long newest = TrainedRegistry.copyVersion(registry, 1);
    Path token = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");

    Running first = start(registry, token);
    ManagedChannel c1 = channel(first.port());
    try {
      awaitServedBy(c1, 1);
      StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> admin(c1, TOKEN + "-guess").promote(PromoteRequest.newBuilder().setAlias("production").setVersion(promoted).build()));
      assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
      admin(c1, TOKEN).promote(PromoteRequest.newBuilder().setAlias("production").setVersion(promoted).setReason("restart test").build());
      awaitServedBy(c1, promoted);
    } finally {
      c1.shutdownNow();
    }
    first.process().destroyForcibly(); // SIGKILL: no drain, no shutdown hook
    assertTrue(first.process().waitFor(20, TimeUnit.SECONDS));

    Running second = start(registry, token);
    ManagedChannel c2 = channel(second.port());
    try {
      awaitServedBy(c2, promoted);
      assertTrue(promoted != newest && servedBy(c2) == promoted, "the alias decides, not the newest version");
    } finally {
      c2.shutdownNow();
    }
    second.process().destroy(); // SIGTERM: drain, then exit
    assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the server within its drain deadline");

    String log = output.toString();
    assertFalse(log.contains(TOKEN), "a process wrote the admin token to its output:\n" + log);
    assertTrue(log.contains("version " + promoted), "the log tells what was loaded:\n" + log);
  }
}
