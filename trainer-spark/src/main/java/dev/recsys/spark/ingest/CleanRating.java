package dev.recsys.spark.ingest;

import java.io.Serializable;

/**
 * One kept rating as the cluster holds it.
 *
 * @param user raw user id
 * @param movie raw movie id
 * @param rating stars
 * @param time seconds since the epoch
 * @param position where its line or row came in the input (partition, then index): of two ratings
 *     of one pair with the same time, the later line wins, as on one machine
 */
public record CleanRating(int user, int movie, float rating, int time, long position) implements Serializable {

  /** The (user, movie) pair as one non-negative key that sorts as the published table does. */
  public long pair() {
    return ((long) user << 32) | movie;
  }

  /**
   * Of two ratings of the same pair, the one cleaning keeps: the latest, then the later line. Times
   * are unsigned 32-bit seconds, as the one-machine loader compares them.
   */
  public static CleanRating later(CleanRating a, CleanRating b) {
    if (a.time != b.time) {
      return Integer.compareUnsigned(a.time, b.time) > 0 ? a : b;
    }
    return a.position >= b.position ? a : b;
  }
}
