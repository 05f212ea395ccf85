package dev.recsys.trainer.als;

import dev.recsys.trainer.data.RatingsTable;
import java.util.Arrays;

/**
 * The rows of a ratings table grouped by movie (users ascending within a movie), for the movie half
 * of an alternation: {@code row(k)} is the table row of the k-th rating in that order.
 */
public record ByMovie(int[] starts, int[] users, int[] rows) {

  public static ByMovie of(RatingsTable t) {
    int[] starts = new int[t.numMovies() + 1];
    for (int r = 0; r < t.size(); r++) {
      starts[t.movie(r) + 1]++;
    }
    for (int m = 0; m < t.numMovies(); m++) {
      starts[m + 1] += starts[m];
    }
    int[] fill = Arrays.copyOf(starts, t.numMovies());
    int[] users = new int[t.size()];
    int[] rows = new int[t.size()];
    for (int r = 0; r < t.size(); r++) {
      int slot = fill[t.movie(r)]++;
      users[slot] = t.user(r);
      rows[slot] = r;
    }
    return new ByMovie(starts, users, rows);
  }

  public int start(int movie) {
    return starts[movie];
  }

  public int end(int movie) {
    return starts[movie + 1];
  }

  public int user(int k) {
    return users[k];
  }

  public int row(int k) {
    return rows[k];
  }
}
