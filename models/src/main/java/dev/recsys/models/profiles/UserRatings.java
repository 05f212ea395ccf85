package dev.recsys.models.profiles;

import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.util.Arrays;

/**
 * Each known user's raw id and rated movies with their ratings, in CSR form: user {@code u}'s
 * entries are {@code [offsets[u], offsets[u+1])} of {@code movies}/{@code ratings}, movies
 * ascending. Used to exclude already-rated movies, for neighbour-based scores and profiles.
 * Immutable.
 */
public final class UserRatings {

  private final long[] userIds;
  private final int[] offsets;
  private final int[] movies;
  private final float[] ratings;

  public UserRatings(long[] userIds, int[] offsets, int[] movies, float[] ratings) {
    if (offsets.length != userIds.length + 1 || offsets[0] != 0 || movies.length != ratings.length
        || offsets[offsets.length - 1] != movies.length) {
      throw new IllegalArgumentException("inconsistent user ratings arrays (offsets must run from 0 to the rating count " + movies.length + ")");
    }
    for (int u = 0; u < userIds.length; u++) {
      if (offsets[u] > offsets[u + 1]) {
        throw new IllegalArgumentException("offsets decrease at user " + u);
      }
      if (u > 0 && userIds[u] <= userIds[u - 1]) {
        throw new IllegalArgumentException("user ids must ascend at " + u);
      }
    }
    this.userIds = userIds;
    this.offsets = offsets;
    this.movies = movies;
    this.ratings = ratings;
  }

  public int users() {
    return userIds.length;
  }

  public long userId(int user) {
    return userIds[user];
  }

  /** Dense index of a raw user id, or -1. */
  public int indexOf(long userId) {
    int i = Arrays.binarySearch(userIds, userId);
    return i >= 0 ? i : -1;
  }

  public int start(int user) {
    return offsets[user];
  }

  public int end(int user) {
    return offsets[user + 1];
  }

  public int count(int user) {
    return offsets[user + 1] - offsets[user];
  }

  /** The backing movie array (read-only by contract). */
  public int[] movies() {
    return movies;
  }

  /** The backing rating array (read-only by contract). */
  public float[] ratings() {
    return ratings;
  }

  /** The user's rating of a movie, or NaN when they did not rate it. */
  public float rating(int user, int movie) {
    int i = Arrays.binarySearch(movies, offsets[user], offsets[user + 1], movie);
    return i >= 0 ? ratings[i] : Float.NaN;
  }

  public boolean rated(int user, int movie) {
    return Arrays.binarySearch(movies, offsets[user], offsets[user + 1], movie) >= 0;
  }

  /** Adds the tensors to a file being written. */
  public void writeTo(TensorFile.Writer writer) {
    writer.longs("user_ids", userIds).ints("offsets", offsets).ints("movies", movies).floats("ratings", ratings);
  }

  /** Reads and checks the tensors (movie indexes must lie in the catalogue). */
  public static UserRatings readFrom(TensorFile file, int catalogueSize) throws IOException {
    long[] ids = file.get("user_ids").longs();
    int[] offsets = file.get("offsets").requireShape(ids.length + 1).ints();
    int[] movies = file.get("movies").ints();
    float[] ratings = file.get("ratings").requireShape(movies.length).finiteFloats();
    for (int m : movies) {
      if (m < 0 || m >= catalogueSize) {
        throw new IOException("user ratings name movie index " + m + " outside the catalogue of " + catalogueSize);
      }
    }
    try {
      return new UserRatings(ids, offsets, movies, ratings);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException("user ratings: " + e.getMessage(), e);
    }
  }
}
