package dev.recsys.trainer.evaluation;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.segments.Centroids;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.rating.SegmentFitter;
import dev.recsys.trainer.topn.ImplicitAls;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well user segments recover a planted truth (data sets from {@code data synth}): the adjusted
 * Rand index of the segments the trainer publishes (what {@code Cluster} answers), side by side with
 * the simple baseline of K-Means on implicit-ALS user factors, with as many segments as planted.
 */
public final class SegmentEvaluation {

  /**
   * @param segments planted segments (and the number of clusters every method is given)
   * @param representation the space the trainer chose for its segments
   * @param ari adjusted Rand index against the truth, by method
   * @param seconds wall time of each method
   */
  public record Report(String dataset, int segments, String representation, Map<String, Double> ari, Map<String, Double> seconds) {}

  /** The published segmentation's name in the report. */
  public static final String PUBLISHED = "published_segments";

  /** The baseline's name in the report. */
  public static final String ALS_KMEANS = "kmeans_on_ials_factors";

  private SegmentEvaluation() {}

  public static Report run(MovieLensData data, int[] planted, RatingPipeline.Config config, long seed, RatingPipeline.Steps steps) {
    int k = Arrays.stream(planted).max().orElse(-1) + 1;
    if (k < 2) {
      throw new IllegalArgumentException("segment recovery needs at least 2 planted segments, got " + k);
    }
    if (data.userIds().length < k) {
      throw new IllegalArgumentException("segment recovery needs at least as many users as segments: " + data.userIds().length + " users, " + k + " segments");
    }
    Map<String, Double> ari = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    RatingPipeline.Config fixed = config.withSegments(new SegmentFitter.Config(k, config.segments().movieClusters(),
        config.segments().minMovieRatings(), config.segments().seed()));
    RatingPipeline.Fitted fitted = RatingPipeline.fit(data.catalog(), data.userIds(), data.ratings(), data.scale(), fixed, steps);
    ari.put(PUBLISHED, AdjustedRandIndex.of(fitted.assignments().userSegments(), planted));
    seconds.put(PUBLISHED, (System.nanoTime() - t) / 1e9);

    t = System.nanoTime();
    EmbeddingTables als;
    try (Progress p = steps.start("implicit ALS for the K-Means baseline, iteration", ImplicitAls.Config.defaults(seed).maxIterations())) {
      als = ImplicitAls.fit(data.ratings(), ImplicitAls.Config.defaults(seed), null, p).model();
    }
    int users = als.users();
    double[][] points = new double[users][];
    for (int u = 0; u < users; u++) {
      float[] v = als.userVector(u);
      points[u] = new double[v.length];
      for (int j = 0; j < v.length; j++) {
        points[u][j] = v[j];
      }
    }
    Centroids c = SegmentFitter.kmeans(points, k, seed);
    ari.put(ALS_KMEANS, AdjustedRandIndex.of(c.assignAll(als.userEmbeddings(), users), planted));
    seconds.put(ALS_KMEANS, (System.nanoTime() - t) / 1e9);
    return new Report(data.name(), k, fitted.segments().chosen(), ari, seconds);
  }
}
