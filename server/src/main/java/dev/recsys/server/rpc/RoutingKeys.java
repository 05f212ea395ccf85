package dev.recsys.server.rpc;

import java.nio.charset.StandardCharsets;

/**
 * Routing keys of calls that name no user (RecommendForRatings, SimilarMovies, Cluster with
 * ratings). Such a call is routed by a 64-bit hash of what it asks for, so the canary takes its
 * configured share of them (not all of them, which a constant key did: the hash of 0 is 0, below
 * any weight) and the same question always lands on the same version.
 */
final class RoutingKeys {

  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private RoutingKeys() {}

  /** The key of a call described by these bytes (FNV-1a, then a final mix). */
  static long of(byte[] content) {
    long h = OFFSET;
    for (byte b : content) {
      h ^= b & 0xff;
      h *= PRIME;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** The key of a movie asked about by id. */
  static long ofMovie(long movieId) {
    return of(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(movieId).array());
  }

  /** The key of a movie asked about by title. */
  static long ofTitle(String title) {
    return of(title.getBytes(StandardCharsets.UTF_8));
  }
}
