package dev.recsys.trainer.rating;

import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.scoring.LinearSolver;
import dev.recsys.trainer.data.RatingsTable;

/**
 * Fits {@code mean + userBias + movieBias} by alternating least squares on regularised biases (the
 * classic "baseline predictor"): each step solves every movie bias given the user biases, then every
 * user bias given the movie biases, in closed form.
 */
public final class BaselineFitter {

  /**
   * @param userL2 shrinkage of user biases towards 0 (in ratings' units of count)
   * @param movieL2 shrinkage of movie biases
   * @param iterations alternating steps
   */
  public record Config(double userL2, double movieL2, int iterations) {
    public static Config defaults() {
      return new Config(15, 10, 15);
    }
  }

  private BaselineFitter() {}

  public static BiasModel fit(RatingsTable train, Config config) {
    float mean = (float) train.meanRating();
    double[] bu = new double[train.numUsers()];
    double[] bi = new double[train.numMovies()];
    double[] sum = new double[train.numMovies()];
    int[] count = train.movieCounts();
    for (int it = 0; it < config.iterations(); it++) {
      java.util.Arrays.fill(sum, 0);
      for (int r = 0; r < train.size(); r++) {
        sum[train.movie(r)] += train.rating(r) - mean - bu[train.user(r)];
      }
      for (int m = 0; m < bi.length; m++) {
        bi[m] = sum[m] / (config.movieL2() + count[m]);
      }
      for (int u = 0; u < bu.length; u++) {
        double s = 0;
        for (int r = train.userStart(u); r < train.userEnd(u); r++) {
          s += train.rating(r) - mean - bi[train.movie(r)];
        }
        bu[u] = s / (config.userL2() + train.userCount(u));
      }
    }
    return new BiasModel(mean, LinearSolver.toFloats(bu), LinearSolver.toFloats(bi));
  }
}
