package dev.recsys.trainer.rating;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.neighbors.KnnBaseline;
import dev.recsys.models.profiles.Profiles;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.rating.FeatureSources;
import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.models.segments.Assignments;
import dev.recsys.models.segments.ImplicitSpace;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.topn.ImplicitAls;
import dev.recsys.trainer.mf.EpochStats;
import dev.recsys.trainer.mf.GibbsMf;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.mf.RatingMfTrainer;
import dev.recsys.trainer.neighbors.NeighborBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smile.regression.RandomForest;

/**
 * Fits every rating model on one training set, so that evaluation and publishing treat them alike.
 *
 * <p>The training set is cut once into a <em>fit</em> part and a <em>blend</em> part (a seeded
 * share). The baseline, the neighbour table, the profiles and the matrix factorisation learn from
 * the fit part; the blend part stops the factorisation early, decides which user representation the
 * segments use, and is what the Random Forest learns on: features computed by models that never saw
 * those ratings, as in stacking. Once the forest has learned, the baseline, profiles and neighbour
 * table are fitted again on the whole training set and the factorisation is fine-tuned on it for a
 * few epochs from its early-stopped weights (its embedding space, where segments and clusters live,
 * barely moves), so the blend ratings are not lost to the final models. No model ever sees the
 * evaluation's held-out ratings.
 */
public final class RatingPipeline {

  /** Names of the rating models, in report order. */
  public static final String BASELINE = "baseline";
  public static final String KNN = "knn";
  public static final String MF = "mf";
  public static final String FOREST = "forest";

  /**
   * @param blendShare share of the training set held back for early stopping and the forest
   * @param knnNeighbors neighbours used per kNN prediction
   * @param neighborTable neighbours stored per movie
   * @param fineTuneEpochs epochs of fine-tuning the factorisation on the whole training set
   */
  public record Config(
      double blendShare,
      int fineTuneEpochs,
      BaselineFitter.Config baseline,
      NeighborBuilder.Config neighborTable,
      int knnNeighbors,
      MfConfig mf,
      SegmentFitter.Config segments,
      ForestFitter.Config forest,
      long seed) {

    public static Config defaults(long seed) {
      return new Config(
          0.15, 2, BaselineFitter.Config.defaults(), NeighborBuilder.Config.defaults(200), 40,
          MfConfig.defaults(seed), SegmentFitter.Config.defaults(seed), ForestFitter.Config.defaults(seed), seed);
    }

    public Config withBlendShare(double share) {
      return new Config(share, fineTuneEpochs, baseline, neighborTable, knnNeighbors, mf, segments, forest, seed);
    }

    public Config withMf(MfConfig mf) {
      return new Config(blendShare, fineTuneEpochs, baseline, neighborTable, knnNeighbors, mf, segments, forest, seed);
    }

    public Config withSegments(SegmentFitter.Config s) {
      return new Config(blendShare, fineTuneEpochs, baseline, neighborTable, knnNeighbors, mf, s, forest, seed);
    }

    public Config withForest(ForestFitter.Config f) {
      return new Config(blendShare, fineTuneEpochs, baseline, neighborTable, knnNeighbors, mf, segments, f, seed);
    }
  }

  /** Everything fitted, with the fit/blend split it came from. */
  public record Fitted(
      RatingScale scale,
      Fold fitAndBlend,
      UserRatings fitRatings,
      Profiles profiles,
      BiasModel baseline,
      ItemNeighbors neighbors,
      KnnBaseline knn,
      RatingMfTrainer.Result mf,
      SegmentFitter.Result segments,
      ForestModel forest,
      Assignments assignments,
      Map<String, Double> seconds,
      Map<String, RatingMetrics> validation,
      List<EpochStats> forestCurve) {

    /** Without the forest's out-of-bag curve (a forest grown elsewhere, or none recorded). */
    public Fitted(RatingScale scale, Fold fitAndBlend, UserRatings fitRatings, Profiles profiles, BiasModel baseline, ItemNeighbors neighbors,
        KnnBaseline knn, RatingMfTrainer.Result mf, SegmentFitter.Result segments, ForestModel forest, Assignments assignments,
        Map<String, Double> seconds, Map<String, RatingMetrics> validation) {
      this(scale, fitAndBlend, fitRatings, profiles, baseline, neighbors, knn, mf, segments, forest, assignments, seconds, validation, List.of());
    }

    /** Validation RMSE of each model (see {@link #validation()}). */
    public Map<String, Double> validationRmse() {
      Map<String, Double> m = new LinkedHashMap<>();
      validation.forEach((name, metrics) -> m.put(name, metrics.rmse()));
      return m;
    }

    /** The rating models by name, clamped to the rating scale. */
    public Map<String, RatingPredictor> predictors() {
      Map<String, RatingPredictor> m = new LinkedHashMap<>();
      m.put(BASELINE, scale.clamped(baseline));
      m.put(KNN, scale.clamped(knn));
      m.put(MF, scale.clamped(mf.model()::score));
      m.put(FOREST, scale.clamped(forest));
      return m;
    }
  }

  /** Iterations of implicit factors refitted on more data, continuing from factors fitted on part of it. */
  public static final int IMPLICIT_REFIT_ITERATIONS = 4;

  /**
   * Users whose ratings fit the implicit factors of the user segments and the forest's implicit
   * score; every user then gets the exact row solve over their own ratings ({@link
   * SegmentFitter#projected}). Above ml-20m's 138k users the full fit took 5 minutes at 25M
   * ratings; 20,000 users (the top-N search's sample too) still rate every movie with support.
   */
  static final int IMPLICIT_MAX_USERS = 20_000;

  /** Makes the progress display of a step. */
  @FunctionalInterface
  public interface Steps {
    Progress start(String step, long total);
  }

  private RatingPipeline() {}

  public static Fitted fit(Catalog catalog, long[] userIds, RatingsTable train, RatingScale scale, Config config, Steps steps) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    Fold split = Splits.holdout(train, config.blendShare(), config.seed() + 1);
    RatingsTable fit = split.train();
    RatingsTable blend = split.test();

    long t = System.nanoTime();
    Collaborative onFit = collaborative(catalog, userIds, fit, config, steps);
    seconds.put(BASELINE + "+" + KNN, elapsed(t));

    t = System.nanoTime();
    RatingMfTrainer.Result mf;
    // The solver names its own unit and count (a stage: epochs, or the sampler's sweeps).
    try (Progress p = steps.start("matrix factorisation (" + config.mf().solver().name().toLowerCase(java.util.Locale.ROOT) + ")",
        config.mf().maxEpochs())) {
      mf = RatingMfTrainer.train(fit, blend, config.mf(), p);
    }
    seconds.put(MF, elapsed(t));

    t = System.nanoTime();
    SegmentFitter.Result segments;
    ImplicitAls.Config implicitConfig = ImplicitAls.Config.defaults(config.seed());
    EmbeddingTables implicit;
    RatingsTable implicitFit = Splits.users(fit, IMPLICIT_MAX_USERS, config.seed() + 5);
    boolean implicitSampled = implicitFit != fit;
    String sampleLabel = implicitSampled ? " (" + IMPLICIT_MAX_USERS + " users' ratings)" : "";
    try (Progress p = steps.start("implicit ALS for user segments" + sampleLabel + ", iteration", implicitConfig.maxIterations())) {
      implicit = ImplicitAls.fit(implicitFit, implicitConfig, null, p).model();
    }
    ImplicitSpace fitSpace = implicitSampled ? SegmentFitter.projected(space(implicit, implicitConfig), fit) : space(implicit, implicitConfig);
    try (Progress p = steps.start("K-Means segments and movie clusters", 0)) {
      segments = SegmentFitter.fit(fit, blend, mf.model(), onFit.profiles(), onFit.baseline(), catalog, fitSpace, config.segments());
    }
    seconds.put("segments", elapsed(t));

    t = System.nanoTime();
    ForestFitter.Grown grown;
    try (Progress p = steps.start("random forest (" + config.forest().treesFor(blend.size()) + " trees)", 0)) {
      grown = ForestFitter.grow(onFit.features(mf.model(), catalog, Assignments.of(segments.segmentation(), mf.model(), onFit.profiles()),
          fitSpace), blend, config.forest());
    }
    RandomForest forest = grown.forest();
    seconds.put(FOREST, elapsed(t));

    // Validation RMSE for choosing among the models, on rows none of them was fitted to: the blend
    // part for the models fitted on the fit part, and out-of-bag rows for the forest (each tree is
    // scored only on the blend rows its bootstrap left out). The factorisation's early stopping also
    // watched the blend part, which flatters it slightly.
    Map<String, RatingMetrics> validation = new LinkedHashMap<>();
    validation.put(BASELINE, RatingMetrics.of(blend, scale.clamped(onFit.baseline())));
    validation.put(KNN, RatingMetrics.of(blend, scale.clamped(onFit.knn())));
    validation.put(MF, RatingMetrics.of(blend, scale.clamped(mf.model()::score)));
    validation.put(FOREST, ForestFitter.validation(forest));

    // The final models: refitted on everything the training set holds.
    t = System.nanoTime();
    Collaborative onAll = collaborative(catalog, userIds, train, config, steps);
    RatingMfTrainer.Result tuned = mf;
    if (config.fineTuneEpochs() > 0) {
      boolean redrawn = !RatingMfTrainer.keepsSpace(mf.solverUsed());
      try (Progress p = redrawn
          ? steps.start("Gibbs chain of the factorisation on the whole training set, sweep", GibbsMf.Settings.defaults(config.seed()).sweeps())
          : steps.start("fine-tune factorisation on the whole training set, epoch", config.fineTuneEpochs())) {
        RatingMfTrainer.Result ft =
            RatingMfTrainer.fineTune(mf.model(), train, config.mf().withSolver(mf.solverUsed()), config.fineTuneEpochs(), config.mf().learningRate() / 2, p);
        // Fine-tuning continues the epoch count; it has no validation set (NaN).
        tuned = new RatingMfTrainer.Result(ft.model(), EpochStats.continued(mf.curve(), ft.curve()), mf.bestEpoch(), mf.validationRmse(), mf.solver(), mf.solverValidationRmse());
      }
      if (redrawn) {
        segments = SegmentFitter.refitEmbedding(segments, train, tuned.model(), catalog, config.segments());
      }
    }
    // Implicit factors on the whole training set: the forest's implicit score, and the user
    // segments' space when they use it.
    ImplicitSpace allSpace;
    // Warm-started from the fit part's factors: a few iterations, not a whole fit again.
    ImplicitAls.Config refit = implicitConfig.with(implicitConfig.dim(), implicitConfig.unobservedWeight(), implicitConfig.l2(), IMPLICIT_REFIT_ITERATIONS);
    try (Progress p = steps.start("implicit ALS on the whole training set" + sampleLabel + " (from the fit part's factors), iteration",
        refit.maxIterations())) {
      RatingsTable implicitAll = implicitSampled ? Splits.users(train, IMPLICIT_MAX_USERS, config.seed() + 5) : train;
      allSpace = SegmentFitter.projected(space(ImplicitAls.fitFrom(implicit, implicitAll, refit, p).model(), implicitConfig), train);
    }
    if (segments.segmentation().representation().equals(Segmentation.IMPLICIT)) {
      segments = SegmentFitter.refitImplicit(segments, train, allSpace, catalog, config.segments());
    } else {
      Segmentation s = segments.segmentation();
      segments = new SegmentFitter.Result(new Segmentation(s.representation(), s.users(), s.profiles(), s.movies(), s.movieClusters(), allSpace),
          segments.elbows(), segments.validationRmse(), segments.validationLogLikelihood(), segments.chosen(), segments.userSegments(),
          segments.movieClusters());
    }
    Assignments assignments = Assignments.of(segments.segmentation(), tuned.model(), onAll.profiles());
    ForestModel finalForest = new ForestModel(forest, onAll.features(tuned.model(), catalog, assignments, allSpace));
    seconds.put("refit", elapsed(t));
    return new Fitted(scale, split, onAll.ratings(), onAll.profiles(), onAll.baseline(), onAll.neighbors(), onAll.knn(),
        tuned, segments, finalForest, assignments, seconds, validation, grown.curve());
  }

  /** The closed-form collaborative models of one rating set. */
  private record Collaborative(UserRatings ratings, Profiles profiles, BiasModel baseline, ItemNeighbors neighbors, KnnBaseline knn) {
    HybridFeatures features(EmbeddingTables mf, Catalog catalog, Assignments assignments, ImplicitSpace implicit) {
      return new HybridFeatures(
          new FeatureSources(mf, baseline, knn, profiles, catalog, assignments.userSegments(), assignments.movieClusters(), implicit));
    }
  }

  private static ImplicitSpace space(EmbeddingTables factors, ImplicitAls.Config c) {
    return new ImplicitSpace(factors.dim(), factors.items(), factors.itemEmbeddings(), factors.userEmbeddings(), c.unobservedWeight(), c.l2(),
        c.frequencyScaling());
  }

  private static Collaborative collaborative(Catalog catalog, long[] userIds, RatingsTable ratings, Config config, Steps steps) {
    BiasModel baseline = BaselineFitter.fit(ratings, config.baseline());
    UserRatings userRatings = ratings.toUserRatings(userIds);
    Profiles profiles = Profiles.of(userRatings, catalog);
    ItemNeighbors neighbors;
    try (Progress p = steps.start("item neighbours, movie", ratings.numMovies())) {
      neighbors = NeighborBuilder.build(ratings, baseline, config.neighborTable(), p);
    }
    return new Collaborative(userRatings, profiles, baseline, neighbors,
        new KnnBaseline(baseline, userRatings, neighbors, config.knnNeighbors()));
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
