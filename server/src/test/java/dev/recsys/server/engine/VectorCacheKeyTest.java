package dev.recsys.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.recsys.server.engine.Types.Profile;
import org.junit.jupiter.api.Test;

/** Fold-in vectors are cached under the canonical profile, so one profile cannot poison another's. */
class VectorCacheKeyTest {

  private static final long M = 0xff51afd7ed558ccdL;

  /** The key used before: a sum of per-pair hashes, which a crafted profile could match. */
  static long sumOfHashes(Profile profile) {
    long h = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < profile.movies().length; i++) {
      h += mix(((long) profile.movies()[i] << 32) ^ Float.floatToIntBits(profile.ratings()[i]));
    }
    return h ^ profile.movies().length;
  }

  static long mix(long x) {
    x ^= x >>> 33;
    x *= M;
    x ^= x >>> 33;
    return x;
  }

  static long unmix(long x) {
    long inverse = M;
    for (int i = 0; i < 6; i++) {
      inverse *= 2 - M * inverse;
    }
    x ^= x >>> 33;
    x *= inverse;
    x ^= x >>> 33;
    return x;
  }

  @Test
  void profileKey_craftedSumOfHashesCollision_getsItsOwnKey() {
    Profile common = new Profile(new int[] {1, 2}, new float[] {5f, 4f});
    // Pick the second pair of the crafted profile so that its hashes sum to the common profile's
    // (its rating is some float: the key function sees whatever a caller sends before validation).
    Profile crafted = null;
    for (int movie = 3; crafted == null; movie++) {
      long x1 = ((long) movie << 32) ^ Float.floatToIntBits(3f);
      long x2 = unmix(mix(((long) 1 << 32) ^ Float.floatToIntBits(5f)) + mix(((long) 2 << 32) ^ Float.floatToIntBits(4f)) - mix(x1));
      int bits = (int) x2;
      float rating = Float.intBitsToFloat(bits);
      if (!Float.isNaN(rating)) {
        // The int is sign-extended into the high word when hashed, so undo that to find the movie.
        crafted = new Profile(new int[] {movie, (int) ((x2 ^ (long) bits) >>> 32)}, new float[] {3f, rating});
      }
    }
    assertEquals(sumOfHashes(common), sumOfHashes(crafted), "the old key collides");

    assertNotEquals(VectorCache.CacheKey.profile("profile", common), VectorCache.CacheKey.profile("profile", crafted));
  }

  @Test
  void profileKey_sameRatingsInAnyOrder_sameKey_otherRatingOrSpace_otherKey() {
    Profile a = new Profile(new int[] {7, 3, 11}, new float[] {4f, 5f, 1f});
    Profile b = new Profile(new int[] {3, 11, 7}, new float[] {5f, 1f, 4f});
    assertEquals(VectorCache.CacheKey.profile("profile", a), VectorCache.CacheKey.profile("profile", b));
    assertNotEquals(VectorCache.CacheKey.profile("profile", a),
        VectorCache.CacheKey.profile("profile", new Profile(new int[] {7, 3, 11}, new float[] {4f, 5f, 1.5f})));
    assertNotEquals(VectorCache.CacheKey.profile("profile", a), VectorCache.CacheKey.profile("mf-profile", a));
  }
}
