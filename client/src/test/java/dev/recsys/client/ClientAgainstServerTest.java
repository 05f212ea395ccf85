package dev.recsys.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.client.connect.Connection;
import dev.recsys.client.load.LoadRecorder;
import dev.recsys.client.load.LoadReport;
import dev.recsys.client.load.LoadRunner;
import dev.recsys.client.load.RequestMix;
import dev.recsys.client.load.UserSampler;
import dev.recsys.client.shell.Shell;
import dev.recsys.models.manifest.Json;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.ManagedChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The client's commands, shell and load generator against a real server on a real port. */
class ClientAgainstServerTest {

  @TempDir static Path dir;
  static ServerFixture fixture;
  static String target;

  @BeforeAll
  static void start() throws Exception {
    fixture = ServerFixture.onPort(ServerFixture.config(TrainedRegistry.copyInto(dir.resolve("registry")), -1, false, 64), List.of())
        .awaitServing(1);
    target = "127.0.0.1:" + fixture.server.port();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static CliRun cli(String... args) {
    return CliRun.run(target, args);
  }

  @Test
  void commands_printTables_andJsonForScripts() throws Exception {
    CliRun rec = cli("recommend", "--user", "1", "--k", "3");
    assertEquals(0, rec.code(), rec.err());
    assertTrue(rec.out().contains("personalized") && rec.out().contains("movie id"), rec.out());
    assertEquals(3 + 3, rec.out().strip().split("\n").length, rec.out());

    CliRun json = cli("recommend", "--user", "1", "--k", "3", "--json");
    JsonNode parsed = Json.MAPPER.readTree(json.out());
    assertEquals(3, parsed.path("movies").size());
    assertEquals("STRATEGY_PERSONALIZED", parsed.path("strategy").asString());

    assertEquals(0, cli("similar", "--title", "star wars", "--k", "3").code());
    assertEquals(0, cli("predict", "--user", "1", "--movie", "1", "--movie", "2").code());
    assertEquals(0, cli("rate", "Toy Story=5", "50=4").code());
    assertEquals(0, cli("cluster", "--user", "4").code());
    CliRun status = cli("models", "status");
    assertTrue(status.out().contains("production"), status.out());
    assertEquals(0, cli("models", "list").code());
    assertEquals(0, cli("health").code());
  }

  @Test
  void failures_areOneLineWithTheStatus_andExitCode1() {
    CliRun bad = cli("recommend", "--user", "1", "--k", "0");
    assertEquals(1, bad.code());
    assertEquals("error: INVALID_ARGUMENT: k must be in [1, 500], got 0", bad.err().strip());
    CliRun missing = cli("similar", "--title", "qqqqqqqqqqqq zzzzzzzz");
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("error: NOT_FOUND"), missing.err());
    assertTrue(!missing.err().contains("at io.grpc"), "no stack trace");
    CliRun unreachable = CliRun.run("127.0.0.1:1", "health", "--deadline-ms", "500");
    assertEquals(1, unreachable.code());
    assertTrue(unreachable.err().startsWith("error: UNAVAILABLE"), unreachable.err());
  }

  @Test
  void shell_similarUserAndRate() throws Exception {
    StringWriter text = new StringWriter();
    try (Connection c = new Connection(ManagedChannelBuilder.forTarget(target).usePlaintext().build(), null, Duration.ofSeconds(10))) {
      Shell shell = new Shell(c, new PrintWriter(text, true));
      assertTrue(shell.handle("toy story"));
      assertTrue(shell.handle("user 42"));
      assertTrue(shell.handle("rate star wars 5"));
      assertTrue(shell.handle("rate the godfather 4.5"));
      assertTrue(shell.handle("profile"));
      assertTrue(shell.handle("rate toy story 7"), "a rating the server refuses");
      assertTrue(shell.handle("rate fargo 4"), "is not kept: the next one still works");
      assertTrue(shell.handle("user 99999999999999999999"), "a number past a long ends no session");
      assertTrue(shell.handle("rate nonsense words qqqqq 3"));
      assertTrue(shell.handle("help"));
      assertTrue(!shell.handle("quit"));
    }
    String out = text.toString();
    assertTrue(out.contains("similar to Toy Story (1995)"), out);
    assertTrue(out.contains("user 42 (personalized)"), out);
    assertTrue(out.contains("(2 in your profile)") && out.contains("recommended for you"), out);
    assertTrue(out.contains("INVALID_ARGUMENT") && out.contains("(3 in your profile)") && !out.contains("(4 in your profile)"), out);
    assertTrue(out.contains("not a usable number in 'user 99999999999999999999'"), out);
    assertTrue(out.contains("NOT_FOUND"), out);
  }

  @Test
  void load_closedAndOpenLoop_countEveryCallAndReport() throws Exception {
    try (Connection c = new Connection(ManagedChannelBuilder.forTarget(target).usePlaintext().build(), null, Duration.ofSeconds(10))) {
      long[] users = c.admin().sampleUserIds(dev.recsys.proto.v1.SampleUserIdsRequest.newBuilder().setCount(200).build())
          .getUserIdsList().stream().mapToLong(Long::longValue).toArray();
      long[] movies = {1, 50, 100, 181, 258, 286};
      RequestMix mix = RequestMix.parse("recommend=60,predict=10,similar=10,rate=10,cluster=5,health=5");

      LoadRecorder closed = new LoadRecorder();
      LoadRunner.Result r = new LoadRunner(List.of(c), mix, new UserSampler(users, 1.1, 0.1), movies, 5, Duration.ofSeconds(5), closed)
          .closedLoop(4, Duration.ofMillis(300), Duration.ofSeconds(2), 3, i -> {});
      LoadReport report = new LoadReport(r, closed, Map.of("test", true));
      assertTrue(report.count() > 50, report.text());
      assertEquals(Map.of("OK", report.count()), report.codes());
      assertTrue(report.text().contains("Latency distribution") && report.text().contains("By operation"));
      assertFalse(report.text().contains("Client send lag"), "a closed loop has no intended send times");
      report.writeJson(dir.resolve("load.json"));
      assertTrue(Json.MAPPER.readTree(Files.readAllBytes(dir.resolve("load.json"))).path("summary").path("requests_per_second").asDouble() > 0);
      assertEquals(2, report.writePlots(dir, "load").size());

      LoadRecorder open = new LoadRecorder();
      LoadRunner.Result o = new LoadRunner(List.of(c), RequestMix.parse("recommend=1"), new UserSampler(users, 0, 0), movies, 5,
          Duration.ofSeconds(5), open).openLoop(100, Duration.ofMillis(200), Duration.ofSeconds(2), 3, i -> {});
      LoadReport openReport = new LoadReport(o, open, Map.of());
      // An open loop sends at the offered rate, whatever the latency.
      assertEquals(100, openReport.throughput(), 15);
      // Each call sent in the measured window has its send lag, which is part of its latency.
      assertEquals(200, open.sendLag().getTotalCount(), 30);
      assertTrue(open.sendLag().getValueAtPercentile(50) <= open.total().getValueAtPercentile(50), openReport.text());
      assertTrue(openReport.text().contains("Client send lag"), openReport.text());
      openReport.writeJson(dir.resolve("open.json"));
      assertEquals(open.sendLag().getTotalCount(),
          Json.MAPPER.readTree(Files.readAllBytes(dir.resolve("open.json"))).path("send_lag_ms").path("count").asLong());
    }
  }
}
