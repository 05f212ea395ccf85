package dev.recsys.spark.job;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.neighbors.KnnBaseline;
import dev.recsys.models.profiles.Profiles;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.rating.FeatureSources;
import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.models.segments.Assignments;
import dev.recsys.models.segments.Centroids;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.spark.fit.BiasLookup;
import dev.recsys.spark.fit.FactorNeighbors;
import dev.recsys.spark.fit.Factors;
import dev.recsys.spark.fit.SparkAls;
import dev.recsys.spark.fit.SparkKMeans;
import dev.recsys.spark.fit.ValidationSplit;
import dev.recsys.spark.ingest.CleanRating;
import dev.recsys.spark.ingest.SparkDataSet;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.mf.RatingMfTrainer;
import dev.recsys.trainer.publish.TrainedVersion;
import dev.recsys.trainer.rating.BaselineFitter;
import dev.recsys.trainer.rating.ForestFitter;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.rating.SegmentFitter;
import dev.recsys.trainer.ranking.FoldInTuning;
import dev.recsys.trainer.ranking.RankingPipeline;
import dev.recsys.trainer.ranking.Tuning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import tools.jackson.databind.node.ObjectNode;

/**
 * Trains every model of a version with the heavy work on the cluster. One pass: a hash-chosen
 * share of the ratings is held out, every choice (explicit ALS's regularisation, implicit ALS's
 * confidence weight, fold-in settings, the rating model) is made on it, the forest learns from it,
 * and the chosen models are refitted on all ratings.
 */
public final class SparkTrainingJob {

  /** Name of the selected top-N model: implicit ALS, as the one-machine trainer calls it. */
  static final String RANKING_MODEL = RankingPipeline.IALS;

  /** How the similar-movies table is built, for the manifest. */
  static final String SIMILARITY = "implicit_als_cosine";

  private SparkTrainingJob() {}

  /** Fits everything and hands back what publishing needs. */
  public static TrainedVersion train(SparkSession spark, SparkDataSet set, SparkJobConfig config, String command) {
    long start = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    MovieLensData data = set.data();
    Catalog catalog = data.catalog();
    RatingsTable all = data.ratings();
    long seed = config.als().seed();
    Map<String, Double> seconds = new LinkedHashMap<>();

    // The same held-out pairs on the driver and on the executors, by a hash of the pair.
    long[] userIds = data.userIds();
    long[] movieIds = IntStream.range(0, catalog.size()).mapToLong(catalog::movieId).toArray();
    double share = config.validationShare();
    Fold split = split(all, userIds, movieIds, seed, share);
    JavaRDD<CleanRating> fitRatings = set.ratings().filter(r -> !ValidationSplit.heldOut(r.user(), r.movie(), seed, share));
    RatingsTable fit = split.train();
    RatingsTable validation = split.test();
    if (validation.size() == 0 || fit.size() == 0) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "the validation share %.2f split the %,d ratings into %,d to fit and %,d to validate: both must be non-empty "
              + "(change --validation, or give more data)", share, all.size(), fit.size(), validation.size()));
    }
    RatingScale scale = data.scale();

    // Explicit ALS on the fit part, one fit per regParam.
    BiasModel fitBaseline = BaselineFitter.fit(fit, BaselineFitter.Config.defaults());
    Broadcast<BiasLookup> fitBiases = sc.broadcast(new BiasLookup(fitBaseline, userIds, movieIds));
    Map<String, Double> regTried = new LinkedHashMap<>();
    EmbeddingTables mfFit = null;
    double bestReg = Double.NaN;
    double bestRmse = Double.POSITIVE_INFINITY;
    try (Progress p = step("explicit ALS on the fit part, regParam", config.explicitRegs().size(), seconds)) {
      for (double reg : config.explicitRegs()) {
        EmbeddingTables m = SparkAls.explicit(spark, fitRatings, fitBiases, reg, config.als())
            .dense(userIds, catalog, fitBaseline.userBiases(), fitBaseline.movieBiases(), fitBaseline.mean());
        double rmse = m.firstNonFinite() != null ? Double.NaN : RatingMetrics.of(validation, scale.clamped(m::score)).rmse();
        regTried.put("reg=" + reg, rmse);
        if (rmse < bestRmse) {
          bestRmse = rmse;
          bestReg = reg;
          mfFit = m;
        }
        p.advance(1);
      }
    }
    fitBiases.destroy();
    if (mfFit == null) {
      throw new IllegalStateException("explicit ALS gave no finite validation RMSE for any regParam tried: " + regTried);
    }

    // Implicit ALS on the fit part, one fit per alpha, ranked against the held-out ratings.
    RankingEvaluator evaluator = new RankingEvaluator(fit, validation, catalog, 10);
    Map<String, Double> ndcg = new LinkedHashMap<>();
    ndcg.put(RankingPipeline.POPULARITY, evaluator.evaluate(new PopularityRanker(fit.movieCounts()), u -> null, null).ndcg());
    Map<String, Double> alphaTried = new LinkedHashMap<>();
    EmbeddingTables ialsFit = null;
    double bestAlpha = Double.NaN;
    double bestNdcg = Double.NEGATIVE_INFINITY;
    try (Progress p = step("implicit ALS on the fit part, alpha", config.implicitAlphas().size(), seconds)) {
      for (double alpha : config.implicitAlphas()) {
        EmbeddingTables m = implicitTables(SparkAls.implicit(spark, fitRatings, alpha, config.implicitReg(), config.als()), userIds, catalog);
        double score = m.firstNonFinite() != null ? Double.NaN
            : evaluator.evaluate(new EmbeddingRanker(DotScorer.of(m)), Tuning.learned(m), null).ndcg();
        alphaTried.put("alpha=" + alpha, score);
        if (score > bestNdcg) {
          bestNdcg = score;
          bestAlpha = alpha;
          ialsFit = m;
        }
        p.advance(1);
      }
    }
    if (ialsFit == null) {
      throw new IllegalStateException("implicit ALS gave no finite validation NDCG for any alpha tried: " + alphaTried);
    }
    ndcg.put(RANKING_MODEL, bestNdcg);
    FoldInTuning.Result foldIn = FoldInTuning.choose(ialsFit, fit, fit, catalog, seed);

    // The forest learns from the held-out ratings with features of the fit part's models.
    RatingPipeline.Fitted onFit;
    try (Progress p = step("neighbours, segments and forest on the fit part", 0, seconds)) {
      onFit = ratingModels(spark, sc, config, catalog, userIds, fit, fitBaseline, mfFit, null, validation, null, scale);
    }
    Map<String, RatingMetrics> validationMetrics = new LinkedHashMap<>();
    validationMetrics.put(RatingPipeline.BASELINE, RatingMetrics.of(validation, scale.clamped(fitBaseline)));
    validationMetrics.put(RatingPipeline.KNN, RatingMetrics.of(validation, scale.clamped(onFit.knn())));
    validationMetrics.put(RatingPipeline.MF, RatingMetrics.of(validation, scale.clamped(mfFit::score)));
    validationMetrics.put(RatingPipeline.FOREST, ForestFitter.validation(onFit.forest().forest()));
    String selectedRating = validationMetrics.entrySet().stream().min(Map.Entry.comparingByValue(
        java.util.Comparator.comparingDouble(RatingMetrics::rmse))).orElseThrow().getKey();

    // The chosen settings refitted on every rating.
    BiasModel baseline = BaselineFitter.fit(all, BaselineFitter.Config.defaults());
    EmbeddingTables mf;
    EmbeddingTables ials;
    try (Progress p = step("ALS on all ratings (explicit, implicit)", 2, seconds)) {
      Broadcast<BiasLookup> biases = sc.broadcast(new BiasLookup(baseline, userIds, movieIds));
      mf = SparkAls.explicit(spark, set.ratings(), biases, bestReg, config.als())
          .dense(userIds, catalog, baseline.userBiases(), baseline.movieBiases(), baseline.mean());
      biases.destroy();
      p.advance(1);
      ials = implicitTables(SparkAls.implicit(spark, set.ratings(), bestAlpha, config.implicitReg(), config.als()), userIds, catalog);
      p.advance(1);
    }
    RatingPipeline.Fitted rating;
    ItemNeighbors similar;
    int[] popularity;
    try (Progress p = step("neighbours, segments and popularity on all ratings", 0, seconds)) {
      rating = ratingModels(spark, sc, config, catalog, userIds, all, baseline, mf, onFit.forest().forest(), null, onFit.assignments(), scale);
      popularity = popularity(set.ratings(), catalog);
      // Spark's ALS returns factors only for rated movies, leaving the others at zero: as the
      // one-machine trainer does, they get their genres' profile embedding, so their similar
      // movies are those nearest to that profile (a zero row tied with every movie: the first k of
      // the catalogue, Toy Story and Jumanji, were every unrated movie's similar list). A movie no
      // rated movie shares a genre with keeps a zero row; fillNeighbors only fills empty lists.
      ials = dev.recsys.trainer.ranking.ColdMovies.fillEmbeddings(ials, catalog, popularity);
      similar = dev.recsys.trainer.ranking.ColdMovies.fillNeighbors(
          FactorNeighbors.build(sc, ials.itemEmbeddings(), ials.items(), ials.dim(), config.neighbors(), config.partitions()), catalog, popularity,
          config.neighbors());
    }
    double trainingSeconds = (System.nanoTime() - start) / 1e9;
    rating = new RatingPipeline.Fitted(scale, split, rating.fitRatings(), rating.profiles(), rating.baseline(), rating.neighbors(), rating.knn(),
        new RatingMfTrainer.Result(mf, List.of(), 0, bestRmse, MfConfig.Solver.ALS), rating.segments(), rating.forest(), rating.assignments(),
        seconds, validationMetrics);
    RankingPipeline.Fitted ranking = RankingPipeline.Fitted.embeddingOnly(RANKING_MODEL, ials, similar, SIMILARITY, popularity,
        FoldInTuning.retarget(foldIn.settings(), ials, all, seed), RankingPipeline.Config.defaults(seed).diversity(), ndcg);

    ObjectNode metrics = Json.object();
    ObjectNode rmse = metrics.putObject("validation_rmse");
    validationMetrics.forEach((name, m) -> rmse.put(name, m.rmse()));
    ObjectNode ndcgNode = metrics.putObject("validation_ndcg_at_10");
    ndcg.forEach(ndcgNode::put);
    metrics.put("selected_rating_model", selectedRating);
    metrics.put("selected_ranking_model", RANKING_MODEL);
    // As the one-machine trainer records it: the forest's tree count follows its rows.
    metrics.put("forest_trees", onFit.forest().forest().size());
    ObjectNode stages = metrics.putObject("seconds");
    seconds.forEach(stages::put);
    metrics.put("validation_ratings", validation.size());

    ObjectNode hyper = Json.object();
    hyper.put("trainer", "spark");
    hyper.put("spark_version", spark.version());
    hyper.put("master", spark.sparkContext().master());
    hyper.put("rank", config.als().rank());
    hyper.put("iterations", config.als().iterations());
    hyper.put("explicit_reg", bestReg);
    hyper.put("implicit_alpha", bestAlpha);
    hyper.put("implicit_reg", config.implicitReg());
    ObjectNode tried = hyper.putObject("tried");
    tried.set("explicit_validation_rmse", Json.MAPPER.valueToTree(regTried));
    tried.set("implicit_validation_ndcg_at_10", Json.MAPPER.valueToTree(alphaTried));
    tried.set("fold_in_validation_ndcg_at_10", Json.MAPPER.valueToTree(foldIn.tried()));
    hyper.put("validation_share", share);
    hyper.put("neighbors", config.neighbors());
    hyper.put("knn_neighbors", config.knnNeighbors());
    hyper.put("user_segments", rating.segments().segmentation().users().k());
    hyper.put("movie_clusters", rating.segments().segmentation().movies().k());
    return new TrainedVersion(data, rating, selectedRating, ranking, RANKING_MODEL, metrics, hyper, seed, trainingSeconds, command, (float) bestReg, null);
  }

  /**
   * The rating models around a factorisation: kNN over its movie factors' neighbour table,
   * segments by K-Means on its factors, and the forest, learnt from {@code forestRows} when given,
   * else {@code forest} re-bound to these models' features.
   *
   * @param reference the segments and clusters the forest learnt with (null on the fit part): new
   *     ones are renumbered after them, since the forest takes the ids as features
   */
  private static RatingPipeline.Fitted ratingModels(SparkSession spark, JavaSparkContext sc, SparkJobConfig config, Catalog catalog,
      long[] userIds, RatingsTable ratings, BiasModel baseline, EmbeddingTables mf, smile.regression.RandomForest forest,
      RatingsTable forestRows, Assignments reference, RatingScale scale) {
    ItemNeighbors neighbors = FactorNeighbors.build(sc, mf.itemEmbeddings(), mf.items(), mf.dim(), config.neighbors(), config.partitions());
    UserRatings userRatings = ratings.toUserRatings(userIds);
    Profiles profiles = Profiles.of(userRatings, catalog);
    KnnBaseline knn = new KnnBaseline(baseline, userRatings, neighbors, config.knnNeighbors());
    long seed = config.als().seed();
    int[] activeUsers = IntStream.range(0, ratings.numUsers()).filter(u -> ratings.userCount(u) > 0).toArray();
    int minMovieRatings = SegmentFitter.Config.defaults(seed).minMovieRatings();
    int[] shapingMovies = SegmentFitter.shapingMovies(ratings, minMovieRatings);
    Centroids users = SparkKMeans.centroids(spark, mf.userEmbeddings(), mf.dim(), activeUsers, config.userSegments(), seed);
    Centroids movies = SparkKMeans.centroids(spark, mf.itemEmbeddings(), mf.dim(), shapingMovies, config.movieClusters(), seed);
    if (reference != null) {
      users = SegmentFitter.renumbered(users, reference.userSegments(), mf.userEmbeddings(), mf.users());
      movies = SegmentFitter.renumbered(movies, reference.movieClusters(), mf.itemEmbeddings(), mf.items());
    }
    SegmentFitter.Result segments =
        SegmentFitter.describe(Segmentation.EMBEDDING, users, mf.userEmbeddings(), movies, mf, ratings, catalog, minMovieRatings, null);
    Assignments assignments = Assignments.of(segments.segmentation(), mf, profiles);
    HybridFeatures features = new HybridFeatures(
        new FeatureSources(mf, baseline, knn, profiles, catalog, assignments.userSegments(), assignments.movieClusters(), null));
    smile.regression.RandomForest trees = forestRows != null ? ForestFitter.fit(features, forestRows, ForestFitter.Config.defaults(seed)) : forest;
    return new RatingPipeline.Fitted(scale, null, userRatings, profiles, baseline, neighbors, knn,
        new RatingMfTrainer.Result(mf, List.of(), 0, Double.NaN, MfConfig.Solver.ALS), segments, new ForestModel(trees, features), assignments,
        Map.of(), Map.of());
  }

  private static Fold split(RatingsTable all, long[] userIds, long[] movieIds, long seed, double share) {
    int[] held = new int[all.size()];
    int[] kept = new int[all.size()];
    int h = 0;
    int k = 0;
    for (int r = 0; r < all.size(); r++) {
      if (ValidationSplit.heldOut(userIds[all.user(r)], movieIds[all.movie(r)], seed, share)) {
        held[h++] = r;
      } else {
        kept[k++] = r;
      }
    }
    return new Fold(0, all.subset(java.util.Arrays.copyOf(kept, k)), all.subset(java.util.Arrays.copyOf(held, h)));
  }

  private static EmbeddingTables implicitTables(Factors factors, long[] userIds, Catalog catalog) {
    return factors.dense(userIds, catalog, new float[userIds.length], new float[catalog.size()], 0f);
  }

  /** Ratings per movie, counted on the cluster, in catalogue order. */
  private static int[] popularity(JavaRDD<CleanRating> ratings, Catalog catalog) {
    int[] counts = new int[catalog.size()];
    ratings.map(CleanRating::movie).countByValue().forEach((movie, n) -> counts[catalog.indexOf(movie)] = Math.toIntExact(n));
    return counts;
  }

  private static Progress step(String name, long total, Map<String, Double> seconds) {
    return Progress.start(name, total, Progress.Unit.STEPS).onClose(s -> seconds.merge(name, s, Double::sum));
  }
}
