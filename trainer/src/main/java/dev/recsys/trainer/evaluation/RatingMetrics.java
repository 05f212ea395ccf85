package dev.recsys.trainer.evaluation;

import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.trainer.data.RatingsTable;
import java.util.stream.IntStream;

/**
 * Error figures of rating predictions on a set of ratings.
 *
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination against the set's own mean (1 is perfect, 0 is no better
 *     than predicting that mean)
 * @param count ratings scored
 */
public record RatingMetrics(double rmse, double mae, double r2, long count) {

  /** Ratings per parallel chunk of {@link #of}. */
  private static final int CHUNK = 4096;

  /**
   * Scores {@code predictor} (which must be thread-safe, as every served predictor is) on every
   * rating of {@code ratings}, in parallel chunks whose sums are added in chunk order: the figures
   * are the same whatever the thread count.
   */
  public static RatingMetrics of(RatingsTable ratings, RatingPredictor predictor) {
    int n = ratings.size();
    if (n == 0) {
      return new RatingMetrics(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = ratings.meanRating();
    int chunks = (n + CHUNK - 1) / CHUNK;
    double[][] sums = new double[chunks][];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      double se = 0;
      double ae = 0;
      double tss = 0;
      for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
        double r = ratings.rating(i);
        double e = predictor.predict(ratings.user(i), ratings.movie(i)) - r;
        se += e * e;
        ae += Math.abs(e);
        tss += (r - mean) * (r - mean);
      }
      sums[c] = new double[] {se, ae, tss};
    });
    double se = 0;
    double ae = 0;
    double tss = 0;
    for (double[] s : sums) {
      se += s[0];
      ae += s[1];
      tss += s[2];
    }
    return new RatingMetrics(Math.sqrt(se / n), ae / n, tss == 0 ? Double.NaN : 1 - se / tss, n);
  }
}
