package dev.recsys.spark.fit;

/**
 * A seeded split of ratings into fit and validation parts decided by a hash of the (user, movie)
 * pair: the executors and the driver reach the same split without shipping row lists.
 */
public final class ValidationSplit {

  private ValidationSplit() {}

  /** Whether the rating of {@code user} and {@code movie} (raw ids) is held out for validation. */
  public static boolean heldOut(long user, long movie, long seed, double share) {
    long h = mix(mix(user * 0x9E3779B97F4A7C15L + seed) ^ movie);
    return (h >>> 11) * 0x1.0p-53 < share;
  }

  /** SplitMix64's finaliser: every input bit moves every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
