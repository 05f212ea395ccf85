package dev.recsys.server.engine;

import java.util.function.Supplier;

/**
 * Caches the vectors one model version folds in from rating profiles (a linear solve each; the key
 * never mixes versions: a swap can never serve a stale vector). Known users' vectors are rows of
 * the model and are not cached. Implementations are thread-safe and bounded.
 */
@FunctionalInterface
public interface VectorCache {

  /**
   * @param key a digest of a rating profile, in the space of the model it is folded into
   * @param compute computes the vector on a miss
   */
  float[] get(CacheKey key, Supplier<float[]> compute);

  /** A cache that caches nothing. */
  VectorCache NONE = (key, compute) -> compute.get();

  /**
   * What a vector is cached under, within one version.
   *
   * @param space "profile" (the ranking model's fold-in) or "mf-profile" (the rating model's)
   * @param high the first 64 bits of the profile's digest
   * @param low the next 64 bits of the digest
   */
  record CacheKey(String space, long high, long low) {

    /**
     * A rating profile's key: 128 bits of the SHA-256 of its canonical form (pairs sorted by
     * movie, each movie index and the rating's bits). A crafted profile cannot be made to share a
     * common profile's key and poison its cached vector: that would take a SHA-256 collision on
     * 128 bits, where the sum of per-pair hashes used before could be matched by hand.
     */
    static CacheKey profile(String space, Types.Profile profile) {
      int n = profile.movies().length;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Integer.compare(profile.movies()[a], profile.movies()[b]));
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 * n);
      for (int i : order) {
        bytes.putInt(profile.movies()[i]).putInt(Float.floatToIntBits(profile.ratings()[i]));
      }
      byte[] digest;
      try {
        digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes.array());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
      java.nio.ByteBuffer d = java.nio.ByteBuffer.wrap(digest);
      return new CacheKey(space, d.getLong(), d.getLong());
    }
  }
}
