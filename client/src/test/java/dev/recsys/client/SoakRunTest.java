package dev.recsys.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.manifest.Json;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A short soak through the client's own command: load with the production alias rotating between
 * two versions and the server's memory sampled. No call fails across the swaps, every promotion
 * succeeds, the server holds no retired version afterwards, and the report, JSON and plot say so.
 * (The two-minute soak at 80% of saturation is {@code bench/soak.sh}, outside the test suite.)
 */
class SoakRunTest {

  @TempDir Path dir;

  @Test
  void loadWithPromotions_noFailedCall_noRetiredVersionLeftLoaded() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    try (ServerFixture f = ServerFixture.onPort(ServerFixture.config(registry, 0, false, 64), List.of()).awaitServing(1)) {
      Path json = dir.resolve("soak.json");
      CliRun run = CliRun.run("127.0.0.1:" + f.server.port(), "load", "--concurrency", "4", "--warmup", "500ms", "--duration", "4s",
          "--promote-every", "800ms", "--promote-versions", "1," + v2,
          "--server-metrics", "http://127.0.0.1:" + f.server.metricsPort() + "/metrics",
          "--max-failures", "0", "--out", json.toString(), "--plot", dir.resolve("soak").toString());
      assertEquals(0, run.code(), run.out() + run.err());
      assertTrue(run.out().contains("retired versions still loaded") && run.out().contains(": none"), run.out());
      assertTrue(run.out().contains("Server memory"), run.out());

      JsonNode report = Json.MAPPER.readTree(Files.readAllBytes(json));
      assertTrue(report.path("promotions").path("events").size() >= 3, report.path("promotions").toString());
      assertEquals(0, report.path("promotions").path("failed").asInt());
      assertEquals(0, report.path("promotions").path("retired_still_loaded").size());
      assertTrue(report.path("server_samples").size() >= 3, "sampled about once a second");
      assertTrue(report.path("server_samples").get(0).path("rss_mb").asDouble() > 50, report.path("server_samples").get(0).toString());
      assertEquals(report.path("summary").path("count").asLong(), report.path("latency_succeeded_ms").path("count").asLong(),
          "every call succeeded");
      assertTrue(Files.size(dir.resolve("soak-server-memory.png")) > 1000);
    }
  }
}
