package dev.recsys.trainer.data;

import java.util.Arrays;

/**
 * Ratings in compact parallel primitive arrays (16 bytes a rating), sorted by user then movie, with
 * dense indexes: users {@code 0..numUsers-1}, movies {@code 0..numMovies-1} (the catalogue's index).
 * The rows of user {@code u} are {@code [userStart(u), userEnd(u))}. Immutable and thread-safe;
 * subsets share the index spaces of the table they come from.
 */
public final class RatingsTable {

  private final int numUsers;
  private final int numMovies;
  private final int[] users;
  private final int[] movies;
  private final float[] ratings;
  private final int[] timestamps;
  private final int[] userStarts;

  /**
   * Wraps arrays already sorted by (user, movie); they are not copied, so callers must hand them over.
   *
   * @param timestamps Unix seconds as unsigned ints (valid until 2106)
   */
  RatingsTable(int numUsers, int numMovies, int[] users, int[] movies, float[] ratings, int[] timestamps) {
    int n = users.length;
    if (movies.length != n || ratings.length != n || timestamps.length != n) {
      throw new IllegalArgumentException("rating arrays differ in length");
    }
    this.numUsers = numUsers;
    this.numMovies = numMovies;
    this.users = users;
    this.movies = movies;
    this.ratings = ratings;
    this.timestamps = timestamps;
    this.userStarts = new int[numUsers + 1];
    for (int i = 0; i < n; i++) {
      if (i > 0 && (users[i] < users[i - 1] || (users[i] == users[i - 1] && movies[i] <= movies[i - 1]))) {
        throw new IllegalArgumentException("ratings are not sorted by (user, movie) at row " + i);
      }
      userStarts[users[i] + 1]++;
    }
    for (int u = 0; u < numUsers; u++) {
      userStarts[u + 1] += userStarts[u];
    }
  }

  /** Wraps rows already sorted by (user, movie), checking the order; for generators. */
  public static RatingsTable ofSorted(int numUsers, int numMovies, int[] users, int[] movies, float[] ratings, int[] timestamps) {
    return new RatingsTable(numUsers, numMovies, users, movies, ratings, timestamps);
  }

  /** Builds a table from unsorted rows (sorted here); for tests and generators. */
  public static RatingsTable of(int numUsers, int numMovies, int[] users, int[] movies, float[] ratings, int[] timestamps) {
    Integer[] order = new Integer[users.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> users[a] != users[b] ? Integer.compare(users[a], users[b]) : Integer.compare(movies[a], movies[b]));
    int n = order.length;
    int[] u = new int[n];
    int[] m = new int[n];
    float[] r = new float[n];
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      u[i] = users[order[i]];
      m[i] = movies[order[i]];
      r[i] = ratings[order[i]];
      t[i] = timestamps[order[i]];
    }
    return new RatingsTable(numUsers, numMovies, u, m, r, t);
  }

  public int size() {
    return users.length;
  }

  public int numUsers() {
    return numUsers;
  }

  public int numMovies() {
    return numMovies;
  }

  public int user(int row) {
    return users[row];
  }

  public int movie(int row) {
    return movies[row];
  }

  public float rating(int row) {
    return ratings[row];
  }

  /** Unix seconds. */
  public long timestamp(int row) {
    return Integer.toUnsignedLong(timestamps[row]);
  }

  public int userStart(int user) {
    return userStarts[user];
  }

  public int userEnd(int user) {
    return userStarts[user + 1];
  }

  /** Number of ratings of a user. */
  public int userCount(int user) {
    return userStarts[user + 1] - userStarts[user];
  }

  /** Mean of all ratings (0 for an empty table). */
  public double meanRating() {
    double sum = 0;
    for (float r : ratings) {
      sum += r;
    }
    return ratings.length == 0 ? 0 : sum / ratings.length;
  }

  /** Ratings per movie. */
  public int[] movieCounts() {
    int[] counts = new int[numMovies];
    for (int m : movies) {
      counts[m]++;
    }
    return counts;
  }

  /** The rows whose indexes are given (ascending), as a table over the same index spaces. */
  public RatingsTable subset(int[] rows) {
    int n = rows.length;
    int[] u = new int[n];
    int[] m = new int[n];
    float[] r = new float[n];
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      int row = rows[i];
      u[i] = users[row];
      m[i] = movies[row];
      r[i] = ratings[row];
      t[i] = timestamps[row];
    }
    return new RatingsTable(numUsers, numMovies, u, m, r, t);
  }

  /** The ratings as per-user lists (the form model versions store), for the given raw user ids. */
  public dev.recsys.models.profiles.UserRatings toUserRatings(long[] userIds) {
    if (userIds.length != numUsers) {
      throw new IllegalArgumentException(userIds.length + " user ids for " + numUsers + " users");
    }
    return new dev.recsys.models.profiles.UserRatings(userIds.clone(), userStarts.clone(), movies.clone(), ratings.clone());
  }

  /** Bytes held by the arrays (for the memory report). */
  public long bytes() {
    return 16L * users.length + 4L * userStarts.length;
  }
}
