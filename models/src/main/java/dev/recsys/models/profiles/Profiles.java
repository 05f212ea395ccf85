package dev.recsys.models.profiles;

import dev.recsys.models.catalog.Catalog;

/**
 * Per-user and per-movie statistics derived from {@link UserRatings}: rating counts, mean ratings and
 * user genre affinities ({@link GenreAffinity}). Derived at load time rather than stored, so they can
 * never disagree with the ratings they come from. Immutable.
 *
 * @param userCounts ratings per user
 * @param userMeans mean rating per user (the global mean for a user without ratings)
 * @param userStds standard deviation of each user's ratings (0 with fewer than two)
 * @param userAffinities {@code users * genres} affinities, row-major
 * @param genres size of the genre vocabulary
 * @param movieCounts ratings per movie
 * @param movieMeans mean rating per movie (the global mean for an unrated movie)
 * @param movieStds standard deviation of each movie's ratings (0 with fewer than two)
 * @param globalMean mean of all ratings
 */
public record Profiles(
    int[] userCounts,
    float[] userMeans,
    float[] userStds,
    float[] userAffinities,
    int genres,
    int[] movieCounts,
    float[] movieMeans,
    float[] movieStds,
    float globalMean) {

  public static Profiles of(UserRatings ratings, Catalog catalog) {
    int users = ratings.users();
    int movies = catalog.size();
    int genres = catalog.genres().size();
    long[] masks = new long[movies];
    for (int m = 0; m < movies; m++) {
      masks[m] = catalog.genreMask(m);
    }
    int[] userCounts = new int[users];
    float[] userMeans = new float[users];
    float[] userStds = new float[users];
    double[] movieSquares = new double[movies];
    float[] affinities = new float[users * genres];
    int[] movieCounts = new int[movies];
    double[] movieSums = new double[movies];
    double total = 0;
    long n = 0;
    float[] buffer = new float[genres];
    int[] items = ratings.movies();
    float[] values = ratings.ratings();
    for (int u = 0; u < users; u++) {
      double sum = 0;
      double squares = 0;
      for (int k = ratings.start(u); k < ratings.end(u); k++) {
        sum += values[k];
        squares += values[k] * values[k];
        movieCounts[items[k]]++;
        movieSums[items[k]] += values[k];
        movieSquares[items[k]] += values[k] * values[k];
      }
      userCounts[u] = ratings.count(u);
      userMeans[u] = userCounts[u] == 0 ? 0 : (float) (sum / userCounts[u]);
      userStds[u] = std(sum, squares, userCounts[u]);
      total += sum;
      n += userCounts[u];
      GenreAffinity.compute(items, values, ratings.start(u), ratings.count(u), masks, genres, buffer);
      System.arraycopy(buffer, 0, affinities, u * genres, genres);
    }
    float globalMean = n == 0 ? 0 : (float) (total / n);
    float[] movieMeans = new float[movies];
    float[] movieStds = new float[movies];
    for (int m = 0; m < movies; m++) {
      movieMeans[m] = movieCounts[m] == 0 ? globalMean : (float) (movieSums[m] / movieCounts[m]);
      movieStds[m] = std(movieSums[m], movieSquares[m], movieCounts[m]);
    }
    for (int u = 0; u < users; u++) {
      if (userCounts[u] == 0) {
        userMeans[u] = globalMean;
      }
    }
    return new Profiles(userCounts, userMeans, userStds, affinities, genres, movieCounts, movieMeans, movieStds, globalMean);
  }

  private static float std(double sum, double squares, int n) {
    if (n < 2) {
      return 0;
    }
    double mean = sum / n;
    return (float) Math.sqrt(Math.max(0, squares / n - mean * mean));
  }

  /** The affinity vector of a user (a copy). */
  public float[] affinity(int user) {
    float[] a = new float[genres];
    System.arraycopy(userAffinities, user * genres, a, 0, genres);
    return a;
  }
}
