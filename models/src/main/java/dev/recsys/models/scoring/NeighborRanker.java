package dev.recsys.models.scoring;

import dev.recsys.models.neighbors.ItemNeighbors;

/**
 * Item-based ranking: a movie's score is the sum of its similarities to the movies the user rated,
 * over each rated movie's stored neighbours (only positive similarities count).
 */
public record NeighborRanker(ItemNeighbors neighbors) implements Ranker {

  @Override
  public void score(User user, float[] out) {
    java.util.Arrays.fill(out, 0, items(), 0f);
    for (int movie : user.movies()) {
      for (int n = neighbors.start(movie); n < neighbors.end(movie); n++) {
        float s = neighbors.similarity(n);
        if (s > 0) {
          out[neighbors.neighbor(n)] += s;
        }
      }
    }
  }

  /**
   * Like {@link #score}, but for stated preferences (a new user's ratings): movies rated at or above
   * {@code midpoint} pull their neighbours up, movies rated below it push them down.
   */
  public void scorePreferences(User user, float midpoint, float[] out) {
    java.util.Arrays.fill(out, 0, items(), 0f);
    for (int r = 0; r < user.movies().length; r++) {
      int movie = user.movies()[r];
      float sign = user.ratings()[r] >= midpoint ? 1f : -1f;
      for (int n = neighbors.start(movie); n < neighbors.end(movie); n++) {
        float s = neighbors.similarity(n);
        if (s > 0) {
          out[neighbors.neighbor(n)] += sign * s;
        }
      }
    }
  }

  @Override
  public int items() {
    return neighbors.items();
  }
}
