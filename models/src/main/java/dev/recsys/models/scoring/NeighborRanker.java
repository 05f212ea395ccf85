package dev.recsys.models.scoring;

import dev.recsys.models.neighbors.ItemNeighbors;

/**
 * Item-based ranking: a movie's score is the sum of its weights from the movies the user rated,
 * over each rated movie's stored neighbours.
 *
 * @param neighbors per-movie weights
 * @param signed whether negative weights count (item-item regression weights such as EASE's, where
 *     a negative weight is evidence against); similarity tables count only positive similarities
 */
public record NeighborRanker(ItemNeighbors neighbors, boolean signed) implements Ranker {

  /** A ranker over a similarity table (positive similarities only). */
  public NeighborRanker(ItemNeighbors neighbors) {
    this(neighbors, false);
  }

  @Override
  public void score(User user, float[] out) {
    java.util.Arrays.fill(out, 0, items(), 0f);
    for (int movie : user.movies()) {
      add(movie, 1f, out);
    }
  }

  /**
   * Like {@link #score}, but for stated preferences (a new user's ratings): movies rated at or above
   * {@code midpoint} pull their neighbours up, movies rated below it push them down.
   */
  public void scorePreferences(User user, float midpoint, float[] out) {
    java.util.Arrays.fill(out, 0, items(), 0f);
    for (int r = 0; r < user.movies().length; r++) {
      add(user.movies()[r], user.ratings()[r] >= midpoint ? 1f : -1f, out);
    }
  }

  private void add(int movie, float sign, float[] out) {
    for (int n = neighbors.start(movie); n < neighbors.end(movie); n++) {
      float s = neighbors.similarity(n);
      if (signed || s > 0) {
        out[neighbors.neighbor(n)] += sign * s;
      }
    }
  }

  @Override
  public int items() {
    return neighbors.items();
  }
}
