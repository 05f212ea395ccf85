package dev.recsys.client.load;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws user ids from the model's users, uniformly or Zipf-skewed (a few hot users, a long tail),
 * with a share of ids the model does not know (cold-start traffic).
 */
public final class UserSampler {

  private final long[] users;
  private final double[] cdf;
  private final double unknownShare;
  private final long unknownBase;

  /**
   * @param users known user ids
   * @param zipfExponent 0 for uniform, e.g. 1.1 for Zipf
   * @param unknownShare share of draws that return an id the model does not know
   */
  public UserSampler(long[] users, double zipfExponent, double unknownShare) {
    if (users.length == 0) {
      throw new IllegalArgumentException("no user ids to draw from");
    }
    if (!(unknownShare >= 0 && unknownShare <= 1)) {
      throw new IllegalArgumentException("unknown-share must be in [0, 1], got " + unknownShare);
    }
    this.users = users.clone();
    this.unknownShare = unknownShare;
    this.unknownBase = Arrays.stream(users).max().orElse(0) + 1_000_000_000L;
    if (zipfExponent > 0) {
      cdf = new double[users.length];
      double sum = 0;
      for (int i = 0; i < users.length; i++) {
        sum += 1 / Math.pow(i + 1, zipfExponent);
        cdf[i] = sum;
      }
      for (int i = 0; i < cdf.length; i++) {
        cdf[i] /= sum;
      }
    } else {
      cdf = null;
    }
  }

  /** Parses {@code uniform} or {@code zipf:<exponent>}. */
  public static double exponent(String distribution) {
    if (distribution.equalsIgnoreCase("uniform")) {
      return 0;
    }
    if (distribution.toLowerCase(java.util.Locale.ROOT).startsWith("zipf:")) {
      double s = Double.parseDouble(distribution.substring(5));
      if (!(s > 0 && s < 10)) {
        throw new IllegalArgumentException("zipf exponent must be in (0, 10), got " + s);
      }
      return s;
    }
    throw new IllegalArgumentException("--users takes uniform or zipf:<exponent>, got '" + distribution + "'");
  }

  public long next(SplittableRandom random) {
    if (unknownShare > 0 && random.nextDouble() < unknownShare) {
      return unknownBase + random.nextInt(1_000_000_000);
    }
    if (cdf == null) {
      return users[random.nextInt(users.length)];
    }
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return users[Math.min(users.length - 1, i >= 0 ? i : -i - 1)];
  }
}
