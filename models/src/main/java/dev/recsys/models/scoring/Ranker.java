package dev.recsys.models.scoring;

/**
 * Scores every movie of the catalogue for one user; higher is better. The user is given by what
 * every ranker can use: their rated movies (with ratings) and, for embedding rankers, their vector
 * (learned, or folded in). Implementations are immutable and thread-safe.
 */
public interface Ranker {

  /**
   * The user a ranker scores for.
   *
   * @param movies rated movie indexes
   * @param ratings their ratings
   * @param vector the user's embedding in the ranker's space, or null when the ranker needs none
   */
  record User(int[] movies, float[] ratings, float[] vector) {}

  /** Writes one score per movie into {@code out}. */
  void score(User user, float[] out);

  /** Number of movies scored. */
  int items();
}
