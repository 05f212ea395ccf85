package dev.recsys.trainer.data;

import dev.recsys.models.console.Progress;
import dev.recsys.models.manifest.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a synthetic data set in the ml-25m layout ({@code ratings.csv}, {@code movies.csv}) of any
 * size, with planted structure that quality tests can check a model recovers, and the truth beside
 * it ({@code planted.csv}, {@code planted.json}).
 *
 * <p>The model: every user belongs to one of {@code segments} segments (unequal sizes); a segment has
 * a taste centre in a {@code latentDim}-dimensional space and a user's taste is that centre plus a
 * smaller personal deviation. A movie has a latent vector, a Zipf popularity, a bias, a year, and
 * genres assigned by how close its vector lies to per-genre directions (so genres carry the taste
 * signal, as in real data). A user's picks are, with probability {@code tasteShare}, drawn from their
 * segment's distribution (popularity x exp(centre . vector)), otherwise from popularity alone; each
 * (user, movie) pair at most once. A rating is {@code mean + user bias + movie bias + taste term +
 * N(0, noise)}, rounded to half stars in [0.5, 5]; the taste term has a std of ~0.6 stars over the
 * catalogue (the constants are in {@code SyntheticWorld}). Activity is Zipf-skewed, timestamps
 * uniform over 2001-2017, as before.
 *
 * <p>Cost is O(segments x movies + ratings) time and O(segments x movies + users) memory: ratings are
 * streamed to disk, never held. The output is a deterministic function of the arguments (byte
 * identical for the same seed).
 *
 * <p>{@code planted.csv} ({@code userId,segment}) gives each user's true segment; read it with
 * {@link #readPlanted}. {@code planted.json} records the settings, the noise floor ({@code noise_std},
 * the RMSE of a perfect model before rounding) and measured figures, among them {@code
 * noise_rmse_after_rounding}: the RMSE between the written ratings and their noiseless values.
 */
public final class SyntheticMovieLens {

  /** File of the true segment of each user. */
  public static final String PLANTED_CSV = "planted.csv";
  /** File of the generator's settings and measured noise. */
  public static final String PLANTED_JSON = "planted.json";

  /**
   * Settings of the planted structure.
   *
   * @param segments number of user segments, 1..256 (memory is 8 x segments x movies bytes)
   * @param latentDim dimension of the taste space, 1..1024
   * @param noise std of the Gaussian rating noise in stars (the noise floor before rounding), 0..5
   * @param tasteShare share of each user's picks drawn from their segment rather than popularity, 0..1
   */
  public record Config(int segments, int latentDim, double noise, double tasteShare) {
    /** Checks every setting; messages name the value and the {@code data synth} option that sets it. */
    public Config {
      if (segments < 1 || segments > 256) {
        throw new IllegalArgumentException("segments (--segments) must be in [1, 256], got " + segments);
      }
      if (latentDim < 1 || latentDim > 1024) {
        throw new IllegalArgumentException("latent dimension (--latent-dim) must be in [1, 1024], got " + latentDim);
      }
      if (!(noise >= 0 && noise <= 5)) {
        throw new IllegalArgumentException("rating noise std (--noise) must be in [0, 5], got " + noise);
      }
      if (!(tasteShare >= 0 && tasteShare <= 1)) {
        throw new IllegalArgumentException("taste share (--taste-share) must be in [0, 1], got " + tasteShare);
      }
    }

    /** 7 segments, 16 dimensions, noise 0.8 stars, 80% of picks by taste. */
    public static Config defaults() {
      return new Config(7, 16, 0.8, 0.8);
    }
  }

  /** Tries from the same distribution before a taken movie is skipped to the next free one. */
  private static final int REDRAWS = 4;

  private SyntheticMovieLens() {}

  /** {@link #write(Path, long, int, int, long, Config, Progress)} with {@link Config#defaults()}. */
  public static void write(Path dir, long ratings, int users, int movies, long seed, Progress progress)
      throws IOException {
    write(dir, ratings, users, movies, seed, Config.defaults(), progress);
  }

  /**
   * Writes {@code ratings.csv}, {@code movies.csv}, {@code planted.csv} and {@code planted.json} into
   * {@code dir} (created if needed), reporting rating lines written to {@code progress}.
   *
   * @param ratings number of rating lines, at least {@code users} and at most users x movies/2
   * @param users number of users (ids 1..users)
   * @param movies number of movies (ids 1..movies)
   * @throws IllegalArgumentException when the counts cannot be satisfied
   */
  public static void write(Path dir, long ratings, int users, int movies, long seed, Config config, Progress progress)
      throws IOException {
    if (users < 1 || movies < 1) {
      throw new IllegalArgumentException("need at least one user and one movie, got " + users + " and " + movies);
    }
    long[] perUser = ratingsPerUser(ratings, users, movies);
    Files.createDirectories(dir);
    SyntheticWorld world = SyntheticWorld.create(seed, movies, config);
    writeMovies(dir, world);
    // A separate stream for users and ratings, so the world depends on the seed alone.
    SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    int[] takenBy = new int[movies];
    Arrays.fill(takenBy, -1);
    long[] segmentUsers = new long[config.segments()];
    double sumRating = 0;
    double sumTaste = 0;
    double sumTasteSq = 0;
    double sumRoundingSq = 0;
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("ratings.csv"), StandardCharsets.US_ASCII);
        BufferedWriter planted = Files.newBufferedWriter(dir.resolve(PLANTED_CSV), StandardCharsets.US_ASCII)) {
      out.write("userId,movieId,rating,timestamp\n");
      planted.write("userId,segment\n");
      StringBuilder line = new StringBuilder(48);
      for (int u = 0; u < users; u++) {
        int segment = SyntheticWorld.sample(world.segmentSizeCdf, random);
        segmentUsers[segment]++;
        planted.write((u + 1) + "," + segment + "\n");
        double[] taste = world.taste(segment, random);
        double userBias = random.nextGaussian() * SyntheticWorld.USER_BIAS_STD;
        for (long j = 0; j < perUser[u]; j++) {
          double[] cdf = random.nextDouble() < config.tasteShare() ? world.segmentCdf[segment] : world.popularityCdf;
          int m = SyntheticWorld.sample(cdf, random);
          // Each (user, movie) pair once, as in ml-25m: redraw a few times so the pick keeps its
          // distribution, then (heavy users near the cap) move to the next free movie, which always
          // exists as a user rates at most half the catalogue.
          for (int t = 0; t < REDRAWS && takenBy[m] == u; t++) {
            m = SyntheticWorld.sample(cdf, random);
          }
          while (takenBy[m] == u) {
            m = m + 1 == movies ? 0 : m + 1;
          }
          takenBy[m] = u;
          double tasteTerm = world.tasteTerm(taste, m);
          double noiseless = world.globalMean + userBias + world.movieBias[m] + tasteTerm;
          double r = noiseless + random.nextGaussian() * config.noise();
          int halfStars = (int) Math.max(1, Math.min(10, Math.round(r * 2)));
          sumRating += halfStars / 2.0;
          sumTaste += tasteTerm;
          sumTasteSq += tasteTerm * tasteTerm;
          sumRoundingSq += (halfStars / 2.0 - noiseless) * (halfStars / 2.0 - noiseless);
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
    ObjectNode json = Json.object();
    json.put("generator", "SyntheticMovieLens");
    json.put("seed", seed);
    json.put("ratings", ratings);
    json.put("users", users);
    json.put("movies", movies);
    json.put("segments", config.segments());
    json.put("latent_dim", config.latentDim());
    json.put("noise_std", config.noise());
    json.put("taste_share", config.tasteShare());
    json.put("taste_std", SyntheticWorld.TASTE_STD);
    json.put("selection_sharpness", SyntheticWorld.SHARPNESS);
    json.put("personal_spread", SyntheticWorld.PERSONAL_SPREAD);
    json.put("global_mean", world.globalMean);
    json.put("user_bias_std", SyntheticWorld.USER_BIAS_STD);
    json.put("movie_bias_std", SyntheticWorld.MOVIE_BIAS_STD);
    json.put("segment_zipf", SyntheticWorld.SEGMENT_ZIPF);
    var sizes = json.putArray("segment_users");
    Arrays.stream(segmentUsers).forEach(sizes::add);
    ObjectNode measured = json.putObject("measured");
    measured.put("mean_rating", sumRating / written);
    double tasteMean = sumTaste / written;
    measured.put("taste_term_mean", tasteMean);
    measured.put("taste_term_std", Math.sqrt(Math.max(0, sumTasteSq / written - tasteMean * tasteMean)));
    measured.put("noise_rmse_after_rounding", Math.sqrt(sumRoundingSq / written));
    json.put("about", "noise_std is the RMSE of a perfect model before rounding and clipping; "
        + "measured.noise_rmse_after_rounding is the RMSE of the written ratings against their noiseless values");
    Files.write(dir.resolve(PLANTED_JSON), Json.MAPPER.writeValueAsBytes(json));
  }

  private static void writeMovies(Path dir, SyntheticWorld world) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("movies.csv"), StandardCharsets.UTF_8)) {
      out.write("movieId,title,genres\n");
      StringBuilder genres = new StringBuilder();
      for (int m = 0; m < world.movies; m++) {
        genres.setLength(0);
        long mask = world.genreMasks[m];
        while (mask != 0) {
          int g = Long.numberOfTrailingZeros(mask);
          mask &= mask - 1;
          genres.append(genres.isEmpty() ? "" : "|").append(SyntheticWorld.GENRES[g]);
        }
        out.write((m + 1) + ",\"Synthetic Movie " + (m + 1) + ", The (" + world.years[m] + ")\"," + genres + "\n");
      }
    }
  }

  /**
   * The true segment of each user of a set written by {@link #write}.
   *
   * @param dir the folder holding {@code planted.csv}
   * @param userIds raw user ids by dense index, ascending (as {@link MovieLensData#userIds()})
   * @return the segment of each dense user index
   * @throws IOException when the file is missing, malformed, or lacks one of {@code userIds}
   */
  public static int[] readPlanted(Path dir, long[] userIds) throws IOException {
    Path file = dir.resolve(PLANTED_CSV);
    int[] segments = new int[userIds.length];
    Arrays.fill(segments, -1);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String header = in.readLine();
      if (!"userId,segment".equals(header)) {
        throw new IOException(file + ": expected the header userId,segment, got " + header);
      }
      int lineNumber = 1;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        int comma = line.indexOf(',');
        long user;
        int segment;
        try {
          user = Long.parseLong(line.substring(0, Math.max(0, comma)));
          segment = Integer.parseInt(line.substring(comma + 1));
        } catch (NumberFormatException e) {
          throw new IOException(file + " line " + lineNumber + ": expected userId,segment, got '" + line + "'", e);
        }
        if (segment < 0) {
          throw new IOException(file + " line " + lineNumber + ": negative segment in '" + line + "'");
        }
        // Users the loaded set does not hold (no kept rating) are not asked for.
        int index = Arrays.binarySearch(userIds, user);
        if (index >= 0) {
          segments[index] = segment;
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException("no " + PLANTED_CSV + " in " + dir + ": only sets written by `data synth` have one", e);
    }
    for (int i = 0; i < segments.length; i++) {
      if (segments[i] < 0) {
        throw new IOException(file + " has no segment for user " + userIds[i]);
      }
    }
    return segments;
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
}
