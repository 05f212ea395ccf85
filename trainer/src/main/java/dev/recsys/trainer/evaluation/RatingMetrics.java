package dev.recsys.trainer.evaluation;

import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.trainer.data.RatingsTable;

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

  /** Scores {@code predictor} on every rating of {@code ratings}. */
  public static RatingMetrics of(RatingsTable ratings, RatingPredictor predictor) {
    int n = ratings.size();
    if (n == 0) {
      return new RatingMetrics(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = ratings.meanRating();
    double se = 0;
    double ae = 0;
    double tss = 0;
    for (int i = 0; i < n; i++) {
      double r = ratings.rating(i);
      double e = predictor.predict(ratings.user(i), ratings.movie(i)) - r;
      se += e * e;
      ae += Math.abs(e);
      tss += (r - mean) * (r - mean);
    }
    return new RatingMetrics(Math.sqrt(se / n), ae / n, tss == 0 ? Double.NaN : 1 - se / tss, n);
  }
}
