package dev.recsys.server.engine;

import java.util.function.Supplier;

/**
 * Caches user vectors of one model version (the key never mixes versions: a swap can never serve a
 * stale vector). Implementations are thread-safe and bounded.
 */
@FunctionalInterface
public interface VectorCache {

  /**
   * @param key a known user's id, or a fingerprint of a rating profile (distinct key spaces)
   * @param compute computes the vector on a miss
   */
  float[] get(CacheKey key, Supplier<float[]> compute);

  /** A cache that caches nothing. */
  VectorCache NONE = (key, compute) -> compute.get();

  /**
   * What a vector is cached under, within one version.
   *
   * @param space "user" (known user id), "profile" (fingerprint of ratings) or "mf-profile"
   * @param id the user id or the fingerprint
   */
  record CacheKey(String space, long id) {}
}
