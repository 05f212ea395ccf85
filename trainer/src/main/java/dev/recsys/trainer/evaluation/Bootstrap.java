package dev.recsys.trainer.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap over users: resample the evaluated users with replacement and read the
 * 2.5th and 97.5th percentiles of the resampled mean. Paired comparisons resample the same users
 * for both models, so a difference whose interval holds 0 is a tie. Seeded, so reports reproduce.
 */
public final class Bootstrap {

  /** Resamples drawn for every interval. */
  public static final int RESAMPLES = 1000;

  /** A 95% interval. */
  public record Interval(double low, double high) {
    public boolean contains(double x) {
      return low <= x && x <= high;
    }
  }

  /**
   * A paired difference {@code a - b}: its mean, interval, and the verdict ({@code better} or
   * {@code worse} when the interval excludes 0, {@code tie} otherwise).
   */
  public record Difference(double mean, double low, double high, String verdict) {}

  private Bootstrap() {}

  /** 95% interval of the mean of {@code values}. */
  public static Interval mean(double[] values, long seed) {
    if (values.length == 0) {
      return new Interval(Double.NaN, Double.NaN);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[RESAMPLES];
    int n = values.length;
    for (int s = 0; s < RESAMPLES; s++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[s] = sum / n;
    }
    Arrays.sort(means);
    return new Interval(means[(int) (0.025 * RESAMPLES)], means[(int) (0.975 * RESAMPLES) - 1]);
  }

  /** The paired difference of two models' per-user values over the same users (aligned arrays). */
  public static Difference paired(double[] a, double[] b, long seed) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired values need the same users: " + a.length + " vs " + b.length);
    }
    double[] diff = new double[a.length];
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      diff[i] = a[i] - b[i];
      sum += diff[i];
    }
    Interval interval = mean(diff, seed);
    String verdict = interval.low() > 0 ? "better" : interval.high() < 0 ? "worse" : "tie";
    return new Difference(a.length == 0 ? Double.NaN : sum / a.length, interval.low(), interval.high(), verdict);
  }
}
