package dev.recsys.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.console.Cli;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.MetricPaths;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.trainer.testing.Fixtures;
import dev.recsys.trainer.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The trainer's commands end to end on real ml-100k data, with small model settings. */
class TrainerCliTest {

  @TempDir static Path tmp;
  static Path registryA;
  static Path registryB;
  /** A one-point top-N search space, so the suite does not run the whole grid. */
  static Path params;

  static String[] args(String... head) {
    String[] quick = {"--mf-dim", "16", "--mf-epochs", "4", "--trees", "15", "--bpr-dim", "16", "--bpr-epochs", "4", "--seed", "11",
        "--params", params.toString()};
    String[] all = new String[head.length + quick.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(quick, 0, all, head.length, quick.length);
    return all;
  }

  @BeforeAll
  static void trainTwice() throws Exception {
    params = tmp.resolve("params.json");
    Files.writeString(params, "{\"ease_lambda\": [200], \"ease_neighbors\": [200], \"ials_dim\": [16], \"ials_unobserved\": 0.1, \"ials_l2\": [0.01]}");
    Fixtures.data("ml-100k");
    String data = TestData.archive("ml-100k").toString();
    registryA = tmp.resolve("a");
    registryB = tmp.resolve("b");
    assertEquals(0, Cli.run(new TrainerCommand(), args("train", "--data", data, "--registry", registryA.toString(),
        "--name", "movielens", "--promote", "production", "--out", tmp.resolve("report").toString(),
        "--timings", tmp.resolve("runs/100k/timings.json").toString())));
    assertEquals(0, Cli.run(new TrainerCommand(), args("train", "--data", data, "--registry", registryB.toString(), "--name", "movielens")));
  }

  @Test
  void train_publishesACompleteVersion_thatLoadsAndReproducesItsSmokeTests() throws Exception {
    ModelRegistry registry = new ModelRegistry(registryA);
    VersionCheck check = registry.verify("movielens", 1);
    assertTrue(check.valid(), check.problem());
    Manifest m = check.manifest();
    assertEquals("ml-100k", m.dataset().name());
    assertEquals(100_000, m.dataset().ratings());
    assertEquals(List.of("baseline.safetensors", "catalog.json", "data_report.json", "forest.safetensors", "neighbors.safetensors",
        "popularity.safetensors", "precomputed.safetensors", "ranking.pt", "ranking.safetensors", "rating_mf.pt", "rating_mf.safetensors", "segments.json",
        "segments.safetensors", "users.safetensors"),
        m.files().stream().map(f -> f.name()).sorted().toList());
    assertTrue(m.metrics().path("rating").path("models").has("forest"));
    assertEquals(m.metrics().path("rating").path("selected").asString(), m.serving().path("rating_model").asString());
    assertEquals(m.metrics().path("ranking").path("selected").asString(), m.serving().path("ranking_model").asString());
    assertTrue(m.metrics().path("headline").path("ranking_ndcg_at_10").asDouble() > 0.2);
    assertEquals(1, registry.alias("movielens", "production").orElseThrow().version());

    ModelBundle bundle = ModelBundle.load(check.dir(), m, true);
    assertTrue(bundle.smokeTestFailures().isEmpty());
    assertEquals(List.of(), bundle.rebuiltTables(), "every published load-time table passes the loader's checks");
    assertEquals(943, bundle.users().users());
    assertTrue(Files.exists(tmp.resolve("report/train-report.html")));
    assertTrue(Files.exists(tmp.resolve("report/mf-training-curve.png")));
    // Segments related to features, demographics included (ml-100k has u.user).
    assertTrue(Files.exists(tmp.resolve("report/segment-features.png")));
    assertTrue(Files.readString(tmp.resolve("report/train-report.html")).contains("women"));
  }

  @Test
  void train_timings_recordEveryStageAndFeedTheScaleReport() throws Exception {
    JsonNode t = Json.MAPPER.readTree(tmp.resolve("runs/100k/timings.json").toFile());
    assertEquals(100_000, t.path("ratings").asInt());
    for (String stage : List.of("load", "rating models: matrix factorisation (auto)", "rating models: random forest (15 trees)",
        "top-N models: BPR, epoch", "publish")) {
      assertTrue(t.path("stages").path(stage).asDouble(-1) >= 0, stage + " in " + t.path("stages"));
    }
    double staged = 0;
    for (String name : t.path("stages").propertyNames()) {
      staged += t.path("stages").path(name).asDouble();
    }
    // The stages account for most of the run (the rest is glue: splits, metrics, printing).
    assertTrue(staged <= t.path("seconds").asDouble() * 1.01 && staged > 0.5 * t.path("seconds").asDouble(), staged + " of " + t.path("seconds"));
    assertTrue(t.path("quality").path("rating_validation_rmse").asDouble() < 1.0, t.path("quality").toString());

    // GNU time's report beside it gives the peak memory and the wall time.
    Files.writeString(tmp.resolve("runs/100k/time.txt"),
        "\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.40\n\tMaximum resident set size (kbytes): 2097152\n");
    var runs = dev.recsys.trainer.report.ScaleReport.read(tmp.resolve("runs"));
    assertEquals(62.4, runs.getFirst().wallSeconds(), 1e-9);
    assertEquals(2L << 30, runs.getFirst().peakRssBytes());
    dev.recsys.trainer.report.ScaleReport.write(runs, tmp.resolve("scale"), "test machine");
    String md = Files.readString(tmp.resolve("scale/scale.md"));
    assertTrue(md.contains("| **wall time** | **1m02s** |") && md.contains("2.0 GiB"), md);
    assertTrue(Files.size(tmp.resolve("scale/scale-stages.png")) > 1000);
  }

  @Test
  void train_sameSeedAndData_sameMetrics() throws Exception {
    Manifest a = new ModelRegistry(registryA).verify("movielens", 1).manifest();
    Manifest b = new ModelRegistry(registryB).verify("movielens", 1).manifest();
    Map<String, Double> ma = MetricPaths.flatten(a.metrics());
    Map<String, Double> mb = MetricPaths.flatten(b.metrics());
    assertTrue(ma.containsKey("rating.models.forest.rmse"), ma.keySet().toString());
    assertEquals(ma.keySet(), mb.keySet());
    for (String key : ma.keySet()) {
      if (key.startsWith("ranking.") || key.startsWith("headline.ranking")) {
        // The top-N pipeline is plain Java; the tolerance covers models that consume the embedding
        // only through parallel float sums in another order.
        assertEquals(ma.get(key), mb.get(key), 0.01, key);
      } else {
        // Exact, the forest's out-of-bag figures included (ForestFitter recomputes them in tree
        // order because Smile's own sum races between threads).
        assertEquals(ma.get(key), mb.get(key), key);
      }
    }
    assertEquals(a.files().stream().filter(f -> f.name().equals("rating_mf.pt")).findFirst().orElseThrow().sha256(),
        b.files().stream().filter(f -> f.name().equals("rating_mf.pt")).findFirst().orElseThrow().sha256(),
        "same seed, same TorchScript bytes");
  }

  @Test
  void evaluate_writesTheReportJson() throws Exception {
    Path report = tmp.resolve("eval/rating.json");
    assertEquals(0, Cli.run(new TrainerCommand(), args("evaluate", "--data", TestData.archive("ml-100k").toString(),
        "--protocol", "holdout:0.2", "--report", report.toString())));
    JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(report));
    assertEquals("rating", json.path("task").asString());
    assertEquals("holdout:0.2", json.path("protocol").asString());
    for (String model : List.of("baseline", "knn", "mf", "forest")) {
      JsonNode s = json.path("models").path(model);
      assertTrue(s.path("rmse").asDouble() > 0.8 && s.path("rmse").asDouble() < 1.1, model + " " + s);
      assertTrue(s.has("mae") && s.has("r2") && s.has("train_rmse"), model);
    }
    // Selected on validation inside the training parts, never on the held-out figures.
    assertEquals("validation", json.path("selected_on").asString());
    String selected = json.path("selected").asString();
    double best = json.path("validation_rmse").path(selected).asDouble();
    json.path("validation_rmse").properties().forEach(e -> assertTrue(e.getValue().asDouble() >= best));
    assertTrue(Files.exists(report.resolveSibling("forest-importance.png")));
  }

  @Test
  void evaluateRanking_writesTheReportJson() throws Exception {
    Path report = tmp.resolve("eval/ranking.json");
    assertEquals(0, Cli.run(new TrainerCommand(), args("evaluate", "--data", TestData.archive("ml-100k").toString(),
        "--task", "ranking", "--k", "10", "--protocol", "last:1", "--report", report.toString())));
    JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(report));
    assertEquals("ranking", json.path("task").asString());
    assertEquals(10, json.path("k").asInt());
    assertEquals("last:1", json.path("protocol").asString());
    assertEquals("validation", json.path("selected_on").asString());
    JsonNode run = json.path("repeats").get(0);
    for (String model : List.of("popularity", "rating_mf", "item_neighbors", "bpr", "ials", "ease", "ease_dense", "blend", "ranking_mmr", "fold_in")) {
      JsonNode m = run.path("models").path(model).path("metrics");
      for (String metric : List.of("precision", "recall", "f1", "ndcg", "map", "hit_rate", "coverage")) {
        assertTrue(m.path(metric).isNumber(), model + "." + metric);
      }
      JsonNode interval = run.path("models").path(model).path("ndcg_interval");
      assertTrue(interval.path("low").asDouble() <= m.path("ndcg").asDouble() && m.path("ndcg").asDouble() <= interval.path("high").asDouble(), model);
    }
    String selected = run.path("selected").asString();
    assertTrue(List.of("popularity", "item_neighbors", "bpr", "ials", "ease", "blend", "ranking_mmr").contains(selected), selected);
    double best = run.path("validation_ndcg").path(selected).asDouble();
    run.path("validation_ndcg").properties().stream().filter(e -> !e.getKey().equals("ease_dense"))
        .forEach(e -> assertTrue(e.getValue().asDouble() <= best, e.getKey()));
    assertTrue(run.path("similar_judgement").path("franchise_movies").asInt() > 0);
    assertTrue(Files.exists(report.resolveSibling("ranking-metrics.png")));
  }

  @Test
  void keygen_signedPublish_andOfflineVerificationAgainstTrustedKeys(@TempDir Path tmp) throws Exception {
    Path registry = tmp.resolve("registry");
    assertEquals(0, Cli.run(new TrainerCommand(), "registry", "keygen", "--private-key", tmp.resolve("keys/trainer.key").toString(),
        "--public-key", tmp.resolve("keys/trainer.pub").toString()));
    assertEquals(1, Cli.run(new TrainerCommand(), "registry", "keygen", "--private-key", tmp.resolve("keys/trainer.key").toString(),
        "--public-key", tmp.resolve("keys/other.pub").toString()), "a private key is never overwritten");
    assertEquals(0, Cli.run(new TrainerCommand(), "registry", "keygen", "--private-key", tmp.resolve("other.key").toString(),
        "--public-key", tmp.resolve("other.pub").toString()));
    assertEquals(0, Cli.run(new TrainerCommand(), "data", "synth-version", "--registry", registry.toString(), "--movies", "300", "--users", "50",
        "--dim", "8", "--signing-key", tmp.resolve("keys/trainer.key").toString()));
    assertTrue(java.nio.file.Files.isRegularFile(registry.resolve("movielens/1/manifest.sig")));
    assertEquals(0, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(), "--version", "1",
        "--trusted-keys", tmp.resolve("keys/trainer.pub").toString()));
    // The server's path in full: the private copy, checked against the key, then built in memory.
    String loaded = stdout(() -> assertEquals(0, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(),
        "--version", "1", "--trusted-keys", tmp.resolve("keys/trainer.pub").toString(), "--load")));
    assertTrue(loaded.contains("signed by a trusted key; loads: 300 movies"), loaded);
    assertEquals(1, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(), "--version", "1",
        "--trusted-keys", tmp.resolve("other.pub").toString()), "signed by a key that is not trusted");
    assertEquals(1, Cli.run(new TrainerCommand(), "data", "synth-version", "--registry", registry.toString(), "--movies", "300",
        "--signing-key", tmp.resolve("keys/trainer.pub").toString()), "a public key cannot sign");
    // Rotation: version 1 signed again with the new key is trusted under it, and no longer under the old one.
    assertEquals(0, Cli.run(new TrainerCommand(), "registry", "sign", "--registry", registry.toString(), "--version", "1",
        "--signing-key", tmp.resolve("other.key").toString()));
    assertEquals(0, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(), "--version", "1",
        "--trusted-keys", tmp.resolve("other.pub").toString()));
    assertEquals(1, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(), "--version", "1",
        "--trusted-keys", tmp.resolve("keys/trainer.pub").toString()));
    assertEquals(1, Cli.run(new TrainerCommand(), "registry", "sign", "--registry", registry.toString(), "--version", "9",
        "--signing-key", tmp.resolve("other.key").toString()), "no such version");
  }

  @Test
  void registryVerify_load_saysWhetherAServerWouldServeItAndWhichTablesItRebuilds(@TempDir Path tmp) throws Exception {
    Path registry = tmp.resolve("registry");
    assertEquals(0, Cli.run(new TrainerCommand(), "data", "synth-version", "--registry", registry.toString(), "--movies", "300", "--users", "50",
        "--dim", "8"));
    String published = stdout(() -> assertEquals(0, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(),
        "--version", "1", "--load")));
    assertTrue(published.contains("loads: 300 movies, 50 users, smoke tests reproduce; load-time tables all published and checked"), published);

    // The tables taken out of the version (file and manifest entry): it still loads, rebuilding them.
    Path version = registry.resolve("movielens/1");
    Files.delete(version.resolve("precomputed.safetensors"));
    var manifest = (tools.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(version.resolve("manifest.json")));
    var files = (tools.jackson.databind.node.ArrayNode) manifest.get("files");
    for (int i = files.size() - 1; i >= 0; i--) {
      if (files.get(i).path("name").asString().equals("precomputed.safetensors")) {
        files.remove(i);
      }
    }
    Files.write(version.resolve("manifest.json"), Json.MAPPER.writeValueAsBytes(manifest));
    String rebuilt = stdout(() -> assertEquals(0, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(),
        "--version", "1", "--load")));
    assertTrue(rebuilt.contains("load-time tables rebuilt at every load") && rebuilt.contains("publishes no precomputed tables"), rebuilt);

    // Checksums that match but a model a server would refuse: the smoke tests no longer reproduce.
    for (JsonNode test : manifest.get("serving").get("smoke_tests")) {
      ((tools.jackson.databind.node.ArrayNode) test.get("ratings")).set(0, Json.MAPPER.getNodeFactory().numberNode(0.5));
    }
    Files.write(version.resolve("manifest.json"), Json.MAPPER.writeValueAsBytes(manifest));
    String refused = stdout(() -> assertEquals(1, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(),
        "--version", "1", "--load")));
    assertTrue(refused.contains("checksums verified, but a server would refuse it: smoke tests failed"), refused);
    assertEquals(0, Cli.run(new TrainerCommand(), "registry", "verify", "--registry", registry.toString(), "--version", "1"),
        "without --load only the checksums are checked");
  }

  private static String stdout(Runnable run) {
    return captured(run, System.out, System::setOut);
  }

  private static String stderr(Runnable run) {
    return captured(run, System.err, System::setErr);
  }

  /** What {@code run} printed on the stream that {@code set} replaces ({@code before} put back after). */
  private static String captured(Runnable run, java.io.PrintStream before, java.util.function.Consumer<java.io.PrintStream> set) {
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    try {
      set.accept(new java.io.PrintStream(text, true));
      run.run();
    } finally {
      set.accept(before);
    }
    return text.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A name, alias or index setting that publication would refuse stops the command before it reads any data. */
  @Test
  void badPublicationArguments_stopTheCommandBeforeTraining() {
    Map<List<String>, String> cases = Map.of(
        List.of("--name", "MovieLens"), "invalid model name 'MovieLens'",
        List.of("--promote", "Production"), "invalid alias name 'Production'",
        List.of("--ann-min-movies", "-1"), "--ann-min-movies must be >= 0");
    for (var c : cases.entrySet()) {
      // The data set does not exist: had the data been read first, that would be the error.
      List<String> argv = new java.util.ArrayList<>(List.of("train", "--data", "no-such-set", "--registry", tmp.resolve("never").toString()));
      argv.addAll(c.getKey());
      String err = stderr(() -> assertEquals(1, Cli.run(new TrainerCommand(), argv.toArray(String[]::new))));
      assertTrue(err.contains(c.getValue()) && !err.contains("no-such-set"), c.getKey() + ": " + err);
    }
  }

  @Test
  void registryList_json_forScripts() throws Exception {
    String out = stdout(() -> assertEquals(0, Cli.run(new TrainerCommand(), "registry", "list", "--registry", registryA.toString(), "--json")));
    var json = dev.recsys.models.manifest.Json.MAPPER.readTree(out);
    assertEquals(1, json.path("versions").get(0).path("version").asLong());
    assertTrue(json.path("versions").get(0).path("valid").asBoolean());
    assertTrue(json.path("versions").get(0).path("headline").path("ranking_ndcg_at_10").asDouble() > 0.2);
    assertEquals("production", json.path("aliases").get(0).path("name").asString());
  }

  @Test
  void tune_writesParamsThatTrainAccepts() throws Exception {
    Path out = tmp.resolve("tuned/params.json");
    assertEquals(0, Cli.run(new TrainerCommand(), args("tune", "--data", TestData.archive("ml-100k").toString(), "--out", out.toString())));
    JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(out));
    assertEquals(200.0, json.path("ease_lambda").get(0).asDouble());
    assertEquals(16, json.path("ials_dim").get(0).asInt());
    assertEquals(dev.recsys.trainer.ranking.ParamsFile.read(out).space().ialsL2(), List.of(0.01));
    assertEquals(64, json.path("tuned_on").path("sha256").asString().length(), "the data the settings were chosen on");
    // Settings tuned on ml-100k itself saw the ratings an evaluation of ml-100k holds out: refused there.
    String err = stderr(() -> assertEquals(1, Cli.run(new TrainerCommand(), "evaluate", "--task", "ranking", "--data",
        TestData.archive("ml-100k").toString(), "--params", out.toString())));
    assertTrue(err.contains("was tuned on ml-100k itself"), err);
  }

  @Test
  void params_badFile_isRefusedNamingTheKeyOrValue() throws Exception {
    Path unknown = tmp.resolve("unknown.json");
    Files.writeString(unknown, "{\"ease_lamda\": [100]}");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> dev.recsys.trainer.ranking.ParamsFile.read(unknown));
    assertTrue(e.getMessage().contains("ease_lamda"), e.getMessage());
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, "{\"ials_dim\": []}");
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> dev.recsys.trainer.ranking.ParamsFile.read(empty));
    assertTrue(e.getMessage().contains("ials dim") && e.getMessage().contains("empty"), e.getMessage());
    Path negative = tmp.resolve("negative.json");
    Files.writeString(negative, "{\"ease_lambda\": [-5]}");
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> dev.recsys.trainer.ranking.ParamsFile.read(negative));
    assertTrue(e.getMessage().contains("-5"), e.getMessage());
    assertEquals(1, Cli.run(new TrainerCommand(), "train", "--data", TestData.archive("ml-100k").toString(), "--registry",
        tmp.resolve("never").toString(), "--params", unknown.toString()));
    assertTrue(Files.notExists(tmp.resolve("never/movielens")), "nothing published");
  }

  @Test
  void badArguments_exitWithAClearError() {
    assertEquals(1, Cli.run(new TrainerCommand(), "evaluate", "--data", TestData.archive("ml-100k").toString(), "--protocol", "kfold:1"));
    assertEquals(1, Cli.run(new TrainerCommand(), "train", "--data", "no-such-set", "--registry", tmp.resolve("x").toString()));
    assertEquals(2, Cli.run(new TrainerCommand(), "train", "--no-such-option"));
    assertEquals(1, Cli.run(new TrainerCommand(), "registry", "promote", "--registry", registryA.toString(), "--version", "99"));
    String err = stderr(() -> assertEquals(1, Cli.run(new TrainerCommand(), "similar", "--registry", registryA.toString(), "--name", "other",
        "toy story")));
    assertTrue(err.contains("no loadable version of other") && !err.contains("version must be"), err);
  }
}
