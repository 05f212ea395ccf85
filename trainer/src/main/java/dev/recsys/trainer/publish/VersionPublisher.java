package dev.recsys.trainer.publish;

import dev.recsys.models.bundle.Artifacts;
import dev.recsys.models.bundle.EmbeddingArtifact;
import dev.recsys.models.bundle.InvalidBundleException;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.bundle.PrecomputedTables;
import dev.recsys.models.bundle.ServingSpec;
import dev.recsys.models.catalog.CatalogFile;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.DatasetInfo;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.manifest.Lineage;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.AliasEvent;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.StagedVersion;
import dev.recsys.models.registry.VersionDraft;
import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.models.signing.SigningKey;
import dev.recsys.models.tensors.TensorFile;
import dev.recsys.models.torchscript.TorchScriptModel;
import dev.recsys.models.torchscript.TorchScriptWriter;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.models.ann.MovieIndex;
import dev.recsys.models.console.Progress;
import dev.recsys.models.io.FileTrees;
import dev.recsys.models.scoring.RankingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes, self-checks and publishes a trained version. */
public final class VersionPublisher {

  /** Users whose predictions the manifest records as smoke tests. */
  static final int SMOKE_USERS = 5;

  /** Movies per smoke-test user. */
  static final int SMOKE_MOVIES = 8;

  /** The published version and, when asked for, the promotion. */
  public record Outcome(Manifest manifest, Optional<AliasEvent> promotion) {}

  private VersionPublisher() {}

  /**
   * @param promoteTo alias to point at the new version (e.g. "production"), or empty
   */
  public static Outcome publish(ModelRegistry registry, String model, TrainedVersion trained, Optional<String> promoteTo,
      String actor) throws IOException {
    return publish(registry, model, trained, promoteTo, actor, null);
  }

  /**
   * As {@link #publish(ModelRegistry, String, TrainedVersion, Optional, String)}, the manifest signed
   * by {@code signer} (null: unsigned).
   */
  public static Outcome publish(ModelRegistry registry, String model, TrainedVersion trained, Optional<String> promoteTo,
      String actor, SigningKey signer) throws IOException {
    return publish(registry, model, trained, promoteTo, actor, signer, MovieIndex.DEFAULT_MIN_MOVIES);
  }

  /**
   * Refuses, naming it, a model name or alias that publication would refuse: commands call it before
   * they train, so a typo costs a second instead of a whole training run.
   */
  public static void requireValidTarget(String model, Optional<String> promoteTo) {
    dev.recsys.models.io.SafeNames.requireModelName(model);
    promoteTo.ifPresent(dev.recsys.models.io.SafeNames::requireAliasName);
  }

  /**
   * As {@link #publish(ModelRegistry, String, TrainedVersion, Optional, String, SigningKey)}, with a
   * graph index over the ranking model's movies when the catalogue has at least {@code annMinMovies}
   * movies (0: never).
   */
  public static Outcome publish(ModelRegistry registry, String model, TrainedVersion trained, Optional<String> promoteTo,
      String actor, SigningKey signer, int annMinMovies) throws IOException {
    long parent = registry.alias(model, Alias.PRODUCTION).map(Alias::version).orElse(0L);
    try (StagedVersion staged = registry.stage(model)) {
      RatingPipeline.Fitted r = trained.rating();
      MovieLensData data = trained.data();
      CatalogFile.write(data.catalog(), staged.file(Artifacts.CATALOG, Artifacts.CATALOG_ROLE));
      TensorFile.Writer users = new TensorFile.Writer();
      r.fitRatings().writeTo(users);
      users.write(staged.file(Artifacts.USERS, Artifacts.USERS_ROLE));
      TorchScriptWriter.write(r.mf().model(), staged.file(Artifacts.RATING_MF, Artifacts.RATING_MF_ROLE));
      EmbeddingArtifact.write(r.mf().model(), staged.file(Artifacts.RATING_MF_TENSORS, Artifacts.RATING_MF_TENSORS_ROLE));
      r.baseline().write(staged.file(Artifacts.BASELINE, Artifacts.BASELINE_ROLE));
      TorchScriptWriter.write(trained.ranking().ranking(), staged.file(Artifacts.RANKING, Artifacts.RANKING_ROLE));
      EmbeddingArtifact.write(trained.ranking().ranking(), staged.file(Artifacts.RANKING_TENSORS, Artifacts.RANKING_TENSORS_ROLE));
      MovieIndex.Settings ann = annMinMovies > 0 && data.catalog().size() >= annMinMovies
          ? writeIndex(staged, trained.ranking().ranking(), data.catalog().genreMasks(), trained.seed()) : null;
      TensorFile.Writer popularity = new TensorFile.Writer().ints("movie_counts", trained.ranking().popularity());
      if (trained.demographic() != null && trained.demographic().served() != null) {
        trained.demographic().served().writeTo(popularity);
      }
      popularity.write(staged.file(Artifacts.POPULARITY, Artifacts.POPULARITY_ROLE));
      TensorFile.Writer neighbors = new TensorFile.Writer();
      r.neighbors().writeTo(neighbors, Artifacts.KNN_PREFIX);
      trained.ranking().similar().writeTo(neighbors, Artifacts.SIMILAR_PREFIX);
      if (trained.ranking().ease() != null) {
        trained.ranking().ease().writeTo(neighbors, Artifacts.EASE_PREFIX);
      }
      neighbors.write(staged.file(Artifacts.NEIGHBORS, Artifacts.NEIGHBORS_ROLE));
      r.forest().write(staged.file(Artifacts.FOREST, Artifacts.FOREST_ROLE));
      r.segments().segmentation().write(
          staged.file(Artifacts.SEGMENTS, Artifacts.SEGMENTS_ROLE),
          staged.file(Artifacts.SEGMENT_PROFILES, Artifacts.SEGMENT_PROFILES_ROLE));
      AtomicFiles.writeDurably(staged.file(Artifacts.DATA_REPORT, Artifacts.DATA_REPORT_ROLE),
          out -> Json.MAPPER.writeValue(out, dataReport(data)));

      ServingSpec spec = servingSpec(trained, ann);
      ObjectNode serving = Json.MAPPER.valueToTree(spec);
      VersionDraft draft =
          new VersionDraft(
              new DatasetInfo(data.name(), data.sha256(), data.ratings().size(), data.userIds().length, data.catalog().size()),
              new Lineage(trainerVersion(), trained.command(), host(), System.getProperty("user.name", "unknown"),
                  trained.seed(), trained.trainingSeconds(), parent),
              trained.hyperParameters(), trained.metrics(), serving);
      ModelBundle checked = selfCheck(staged, model, draft, trained);
      writePrecomputed(staged, checked);
      Manifest manifest = staged.publish(draft, signer);
      Optional<AliasEvent> promotion = Optional.empty();
      if (promoteTo.isPresent()) {
        promotion = Optional.of(registry.promote(model, promoteTo.get(), manifest.version(), 1.0, actor,
            "promoted by recsys-trainer train"));
      }
      return new Outcome(manifest, promotion);
    }
  }

  /**
   * Loads the staged files through the server's loader and replays the smoke tests: a version that
   * would not load, or whose files predict differently from the models in memory, is refused here.
   * The TorchScript files, which the server never reads, are loaded here (the trainer runs only
   * what it wrote) and must hold exactly the numbers of the data files the server reads.
   */
  private static ModelBundle selfCheck(StagedVersion staged, String model, VersionDraft draft, TrainedVersion trained)
      throws InvalidBundleException {
    Manifest provisional =
        new Manifest(Manifest.CURRENT_FORMAT, model, 1, java.time.Instant.now(), draft.dataset(), draft.lineage(),
            draft.hyperParameters(), draft.metrics(), draft.serving(), List.of());
    ModelBundle bundle = ModelBundle.load(staged.dir(), provisional, false);
    if (bundle.spec().ann() != null) {
      try (MovieIndex index = MovieIndex.open(staged.dir(), staged.declaredFiles(), bundle.ranking(),
          bundle.spec().ann())) {
        // Opens, and holds one document per movie in order: checked by open.
      } catch (IOException e) {
        throw new InvalidBundleException("graph index does not open: " + dev.recsys.models.console.Messages.describe(e), e);
      }
    }
    sameNumbers(staged.dir().resolve(Artifacts.RATING_MF), trained.rating().mf().model());
    sameNumbers(staged.dir().resolve(Artifacts.RANKING), trained.ranking().ranking());
    return bundle;
  }

  /**
   * Publishes the load-time tables the self-check's load derived (so every later load can skip
   * deriving them), then reads them back through the loader's checks: tables the loader would
   * rebuild are refused here.
   */
  private static void writePrecomputed(StagedVersion staged, ModelBundle bundle) throws IOException {
    Path file = staged.file(Artifacts.PRECOMPUTED, Artifacts.PRECOMPUTED_ROLE);
    bundle.precomputed().write(file);
    List<String> rebuilt = new ArrayList<>();
    PrecomputedTables.resolve(file, new PrecomputedTables.Sources(bundle.catalog(), bundle.ranking().toTables(), bundle.segmentation(), bundle.mf(),
        bundle.profiles()), rebuilt);
    if (!rebuilt.isEmpty()) {
      throw new InvalidBundleException("the precomputed tables do not pass the loader's checks: " + String.join("; ", rebuilt));
    }
  }

  /** Checks that a staged TorchScript file holds exactly {@code expected}'s parameters. */
  static void sameNumbers(java.nio.file.Path torchScript, EmbeddingTables expected) throws InvalidBundleException {
    EmbeddingTables loaded;
    try (TorchScriptModel ts = TorchScriptModel.load(torchScript, ai.djl.Device.cpu())) {
      loaded = ts.tables(expected.globalBias());
    } catch (IOException | RuntimeException e) {
      throw new InvalidBundleException(torchScript.getFileName() + " does not load: " + dev.recsys.models.console.Messages.describe(e), e);
    }
    if (loaded.users() != expected.users() || loaded.items() != expected.items() || loaded.dim() != expected.dim()
        || !java.util.Arrays.equals(loaded.userEmbeddings(), expected.userEmbeddings())
        || !java.util.Arrays.equals(loaded.itemEmbeddings(), expected.itemEmbeddings())
        || !java.util.Arrays.equals(loaded.userBiases(), expected.userBiases())
        || !java.util.Arrays.equals(loaded.itemBiases(), expected.itemBiases())) {
      throw new InvalidBundleException(torchScript.getFileName() + " holds other numbers than the model in memory");
    }
  }

  /**
   * Builds the graph index in a scratch folder, tunes its candidate count on the version's users,
   * and moves its files into the version as {@code ann.*} artifacts.
   */
  private static MovieIndex.Settings writeIndex(StagedVersion staged, EmbeddingTables ranking, long[] genreMasks, long seed)
      throws IOException {
    Path scratch = Files.createTempDirectory("recsys-ann-");
    try {
      try (Progress progress = Progress.start("graph index (HNSW) over the movies", ranking.items(), Progress.Unit.ITEMS)) {
        MovieIndex.build(ranking, scratch, progress);
      }
      MovieIndex.Settings settings = MovieIndex.tune(scratch, RankingModel.of(ranking), genreMasks, seed);
      for (String name : MovieIndex.indexFiles(scratch)) {
        Files.move(scratch.resolve(name), staged.file(MovieIndex.FILE_PREFIX + name, MovieIndex.ROLE),
            StandardCopyOption.REPLACE_EXISTING);
      }
      System.err.printf(java.util.Locale.ROOT, "graph index: %d candidates per 10 results (recall@10 %.3f), %d with a genre filter "
          + "(%.3f), tuned on %d users%n", settings.candidates(), settings.tuningRecallAt10(), settings.genreCandidates(),
          settings.genreTuningRecallAt10(), settings.tuningUsers());
      return settings;
    } finally {
      FileTrees.deleteRecursively(scratch);
    }
  }

  static ServingSpec servingSpec(TrainedVersion trained, MovieIndex.Settings ann) {
    RatingPipeline.Fitted r = trained.rating();
    RatingPredictor selected = r.predictors().get(trained.selectedRatingModel());
    RatingsTable ratings = trained.data().ratings();
    SplittableRandom random = new SplittableRandom(trained.seed());
    List<ServingSpec.SmokeTest> tests = new ArrayList<>();
    int users = ratings.numUsers();
    for (int t = 0; t < Math.min(SMOKE_USERS, users); t++) {
      int u = random.nextInt(users);
      List<Long> movies = new ArrayList<>();
      List<Float> predictions = new ArrayList<>();
      List<Float> rankingScores = new ArrayList<>();
      for (int k = 0; k < SMOKE_MOVIES; k++) {
        // Half rated movies, half any movie of the catalogue.
        int m = k % 2 == 0 && ratings.userCount(u) > 0
            ? ratings.movie(ratings.userStart(u) + random.nextInt(ratings.userCount(u)))
            : random.nextInt(ratings.numMovies());
        movies.add(trained.data().catalog().movieId(m));
        predictions.add(selected.predict(u, m));
        rankingScores.add(trained.ranking().ranking().score(u, m));
      }
      tests.add(new ServingSpec.SmokeTest(trained.data().userIds()[u], movies, predictions, rankingScores));
    }
    var f = trained.ranking().foldIn();
    return new ServingSpec(
        trained.selectedRatingModel(), r.scale().min(), r.scale().max(), r.mf().model().globalBias(), trained.mfL2(),
        r.knn().k(), trained.selectedRankingModel(), trained.ranking().similarity(), trained.ranking().diversity(),
        Double.isNaN(trained.ranking().blendWeight()) ? 0 : trained.ranking().blendWeight(),
        trained.ranking().contentWeight(), trained.ranking().contentYearShare(),
        new ServingSpec.FoldInSpec(f.positiveTarget(), f.negativeTarget(), f.backgroundWeight(), f.l2()), tests, ann);
  }

  static ObjectNode dataReport(MovieLensData data) {
    ObjectNode report = Json.object();
    report.put("dataset", data.name());
    report.put("sha256", data.sha256());
    report.put("layout", data.layout().name());
    report.put("ratings", data.ratings().size());
    report.put("users", data.userIds().length);
    report.put("movies", data.catalog().size());
    report.put("dropped_ratings", data.quality().droppedRatings());
    ArrayNode issues = report.putArray("quality");
    for (DataQuality.Entry e : data.quality().entries()) {
      ObjectNode i = issues.addObject();
      i.put("issue", e.issue().name().toLowerCase(java.util.Locale.ROOT));
      i.put("count", e.count());
      i.put("action", e.issue().action());
      i.put("why", e.issue().why());
      ArrayNode ex = i.putArray("examples");
      e.examples().forEach(ex::add);
    }
    return report;
  }

  static String trainerVersion() {
    return new dev.recsys.models.console.Cli.Version().getVersion()[0];
  }

  static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
