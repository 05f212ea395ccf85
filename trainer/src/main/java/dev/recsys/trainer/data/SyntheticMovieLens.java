package dev.recsys.trainer.data;

import dev.recsys.models.console.Progress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a synthetic data set in the ml-25m layout ({@code ratings.csv}, {@code movies.csv}) of any
 * size, for load benchmarks and scale tests: Zipf-skewed movie popularity and user activity like the
 * real sets, ratings from a user and a movie bias plus noise, seeded.
 */
public final class SyntheticMovieLens {

  private static final String[] GENRES = {
    "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
    "Western"
  };

  private SyntheticMovieLens() {}

  /**
   * Writes the files into {@code dir}.
   *
   * @param ratings number of rating lines
   * @param users number of users
   * @param movies number of movies
   */
  public static void write(Path dir, long ratings, int users, int movies, long seed, Progress progress)
      throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    float[] movieBias = new float[movies];
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("movies.csv"), StandardCharsets.UTF_8)) {
      out.write("movieId,title,genres\n");
      for (int m = 0; m < movies; m++) {
        movieBias[m] = (float) (random.nextGaussian() * 0.5);
        StringBuilder genres = new StringBuilder(GENRES[random.nextInt(GENRES.length)]);
        if (random.nextInt(2) == 0) {
          genres.append('|').append(GENRES[random.nextInt(GENRES.length)]);
        }
        out.write((m + 1) + ",\"Synthetic Movie " + (m + 1) + ", The (" + (1930 + random.nextInt(90)) + ")\"," + genres + "\n");
      }
    }
    ZipfSampler moviePick = new ZipfSampler(movies, 1.0);
    long[] perUser = ratingsPerUser(ratings, users, movies);
    int[] takenBy = new int[movies];
    java.util.Arrays.fill(takenBy, -1);
    try (BufferedWriter out =
        Files.newBufferedWriter(dir.resolve("ratings.csv"), StandardCharsets.US_ASCII)) {
      out.write("userId,movieId,rating,timestamp\n");
      StringBuilder line = new StringBuilder(48);
      long written = 0;
      for (int u = 0; u < users; u++) {
        double userBias = ((u * 2654435761L) % 100) / 200.0 - 0.25;
        for (long j = 0; j < perUser[u]; j++) {
          // Popular movies first, like real users; a movie already rated by this user moves the
          // pick to the next free one, so each (user, movie) pair appears once, as in ml-25m.
          int m = moviePick.sample(random);
          while (takenBy[m] == u) {
            m = m + 1 == movies ? 0 : m + 1;
          }
          takenBy[m] = u;
          double r = 3.5 + movieBias[m] + userBias + random.nextGaussian() * 0.8;
          int halfStars = (int) Math.max(1, Math.min(10, Math.round(r * 2)));
          line.setLength(0);
          line.append(u + 1).append(',').append(m + 1).append(',')
              .append(halfStars / 2).append(halfStars % 2 == 1 ? ".5" : ".0").append(',')
              .append(1_000_000_000L + random.nextInt(500_000_000)).append('\n');
          out.append(line);
          if ((++written & 0xFFFF) == 0) {
            progress.set(written);
          }
        }
      }
      progress.set(written);
    }
  }

  /**
   * Ratings per user: Zipf-skewed activity (a few heavy users, a long tail), at least one each, at
   * most half the catalogue, summing to exactly {@code ratings}.
   */
  static long[] ratingsPerUser(long ratings, int users, int movies) {
    long cap = Math.max(1, movies / 2);
    if (ratings > cap * users) {
      throw new IllegalArgumentException(
          ratings + " ratings cannot be spread over " + users + " users of at most " + cap + " each");
    }
    if (ratings < users) {
      throw new IllegalArgumentException("need at least one rating per user");
    }
    double[] weight = new double[users];
    double sum = 0;
    for (int u = 0; u < users; u++) {
      weight[u] = 1.0 / Math.pow(u + 1, 0.6);
      sum += weight[u];
    }
    long[] counts = new long[users];
    long total = 0;
    for (int u = 0; u < users; u++) {
      counts[u] = Math.min(cap, Math.max(1, (long) Math.floor((ratings - users) * weight[u] / sum) + 1));
      total += counts[u];
    }
    // Rounding and caps leave a remainder (or an excess): spread it one by one.
    for (int u = 0; total != ratings; u = (u + 1) % users) {
      if (total < ratings && counts[u] < cap) {
        counts[u]++;
        total++;
      } else if (total > ratings && counts[u] > 1) {
        counts[u]--;
        total--;
      }
    }
    return counts;
  }

  /** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s, by inverse CDF. */
  static final class ZipfSampler {
    private final double[] cdf;

    ZipfSampler(int n, double s) {
      cdf = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1.0 / Math.pow(i + 1, s);
        cdf[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        cdf[i] /= sum;
      }
    }

    int sample(SplittableRandom random) {
      double x = random.nextDouble();
      int i = java.util.Arrays.binarySearch(cdf, x);
      return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }
  }
}
