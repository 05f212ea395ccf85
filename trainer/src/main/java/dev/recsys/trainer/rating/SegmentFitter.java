package dev.recsys.trainer.rating;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.profiles.Profiles;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.segments.Centroids;
import dev.recsys.models.segments.ImplicitSpace;
import dev.recsys.models.segments.MovieCluster;
import dev.recsys.models.segments.SegmentProfile;
import dev.recsys.models.segments.SegmentProfile.GenreShare;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.trainer.data.RatingsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import smile.clustering.CentroidClustering;
import smile.clustering.Clustering;
import smile.clustering.KMeans;
import smile.math.MathEx;

/**
 * K-Means user segments and movie clusters with Smile.
 *
 * <p>Users are clustered three times: by their rating-model embedding, by their genre-affinity
 * profile, and by their implicit-ALS factors (what they chose to rate). The representation whose
 * segments best predict which movies the segment's members go on to rate wins: the mean held-out
 * log-probability of each validation rating's movie under its user's segment's movie distribution
 * (smoothed towards overall popularity). That asks directly whether a segment is a taste group
 * (its members want the same films), which is what Cluster's answer is used for. The older
 * criterion, how well segment-by-genre offsets explain held-out star ratings, is still reported.
 * "Explain" is measured directly: a segment-by-genre offset model ({@code baseline + mean over the
 * movie's genres of the segment's mean residual on that genre}) is fitted on the fit set and scored
 * by RMSE on the validation set, so the choice rests on predictive value rather than on cluster
 * geometry, which is not comparable across spaces of different dimension.
 */
public final class SegmentFitter {

  /** K tried for the elbow curve. */
  static final int K_MIN = 2;
  static final int K_MAX = 15;

  /**
   * @param userSegments number of user segments, or 0 to take the elbow's knee
   * @param movieClusters number of movie clusters
   * @param minMovieRatings movies with fewer ratings do not shape the movie clusters
   * @param seed random seed of K-Means++ initialisation
   */
  public record Config(int userSegments, int movieClusters, int minMovieRatings, long seed) {
    public static Config defaults(long seed) {
      return new Config(7, 12, 5, seed);
    }
  }

  /** The segmentation and the evidence behind it. */
  public record Result(
      Segmentation segmentation,
      Map<String, ElbowCurve> elbows,
      Map<String, Double> validationRmse,
      Map<String, Double> validationLogLikelihood,
      String chosen,
      int[] userSegments,
      int[] movieClusters) {}

  private SegmentFitter() {}

  /**
   * @param implicit users and movies as implicit-ALS factors fitted on {@code fit} (a third
   *     representation, tried beside the rating embedding and the genre profile)
   */
  public static Result fit(RatingsTable fit, RatingsTable validation, EmbeddingTables mf, Profiles profiles,
      BiasModel baseline, Catalog catalog, ImplicitSpace implicit, Config config) {
    int users = fit.numUsers();
    int[] active = activeUsers(fit);
    Map<String, float[]> spaces = new LinkedHashMap<>();
    Map<String, Integer> dims = new LinkedHashMap<>();
    spaces.put(Segmentation.EMBEDDING, mf.userEmbeddings());
    dims.put(Segmentation.EMBEDDING, mf.dim());
    spaces.put(Segmentation.GENRE_AFFINITY, profiles.userAffinities());
    dims.put(Segmentation.GENRE_AFFINITY, profiles.genres());
    spaces.put(Segmentation.IMPLICIT, implicit.userFactors());
    dims.put(Segmentation.IMPLICIT, implicit.dim());

    Map<String, ElbowCurve> elbows = new LinkedHashMap<>();
    Map<String, Double> scores = new LinkedHashMap<>();
    Map<String, Double> likelihood = new LinkedHashMap<>();
    Map<String, Centroids> centroids = new LinkedHashMap<>();
    for (var e : spaces.entrySet()) {
      int dim = dims.get(e.getKey());
      double[][] points = rows(e.getValue(), dim, active);
      int k = config.userSegments();
      if (k <= 0) {
        // The elbow sweep (14 K-Means runs per space) only when asked to choose k.
        ElbowCurve elbow = elbow(points, config.seed());
        elbows.put(e.getKey(), elbow);
        k = elbow.knee();
      }
      Centroids c = kmeans(points, Math.min(k, points.length), config.seed());
      centroids.put(e.getKey(), c);
      int[] labels = c.assignAll(e.getValue(), users);
      scores.put(e.getKey(), segmentGenreRmse(fit, validation, labels, c.k(), baseline, catalog));
      likelihood.put(e.getKey(), segmentPickLogLikelihood(fit, validation, labels, c.k()));
    }
    String chosen = likelihood.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    double[][] moviePoints = rows(mf.itemEmbeddings(), mf.dim(), shapingMovies(fit, config.minMovieRatings()));
    Centroids movieCentroids = kmeans(moviePoints, Math.min(config.movieClusters(), moviePoints.length), config.seed());
    Result described = describe(chosen, centroids.get(chosen), spaces.get(chosen), movieCentroids, mf, fit, catalog, config.minMovieRatings(),
        chosen.equals(Segmentation.IMPLICIT) ? implicit : null);
    return new Result(described.segmentation(), elbows, scores, likelihood, chosen, described.userSegments(), described.movieClusters());
  }

  /**
   * The segmentation from centroids however found (here by {@link #kmeans}, in the Spark trainer by
   * Spark's K-Means): every user and movie assigned to its nearest centroid, and the segments and
   * clusters described by what their members rate.
   *
   * @param representation what {@code userPoints} are ({@link Segmentation#EMBEDDING}, ...)
   * @param userPoints each user's point, {@code userCentroids.dim()} values per user
   * @param implicit the implicit factors when users are segmented by them, else null
   * @return the segmentation, without the evidence of a choice (no elbows or validation figures)
   */
  public static Result describe(String representation, Centroids userCentroids, float[] userPoints, Centroids movieCentroids,
      EmbeddingTables mf, RatingsTable fit, Catalog catalog, int minMovieRatings, ImplicitSpace implicit) {
    int[] userLabels = userCentroids.assignAll(userPoints, fit.numUsers());
    int[] counts = fit.movieCounts();
    int[] shaping = shapingMovies(fit, minMovieRatings);
    int[] movieLabels = movieCentroids.assignAll(mf.itemEmbeddings(), fit.numMovies());
    Segmentation segmentation =
        new Segmentation(
            representation,
            userCentroids,
            segmentProfiles(fit, userLabels, userCentroids.k(), catalog),
            movieCentroids,
            movieClusterDescriptions(movieLabels, movieCentroids.k(), counts, shaping, catalog),
            implicit);
    return new Result(segmentation, Map.of(), Map.of(), Map.of(), representation, userLabels, movieLabels);
  }

  /**
   * When users are segmented by implicit factors: the segments again, now from factors fitted on
   * the whole training set (every model is refitted on all of it once chosen), with as many
   * segments as chosen and fresh profiles; movie clusters are kept. {@code all} holds every user's
   * exact row solve over their ratings ({@link #projected}: a known user and their own ratings land
   * in the same segment), and the new segments are numbered after the old ones
   * they overlap most, so segment ids mean what they meant to models fitted before the refit (the
   * forest takes the segment as a feature).
   */
  public static Result refitImplicit(Result chosen, RatingsTable train, ImplicitSpace all, Catalog catalog, Config config) {
    int users = train.numUsers();
    float[] vectors = all.userFactors();
    Centroids c = foundAgain(vectors, all.dim(), activeUsers(train), chosen.segmentation().users().k(), chosen.userSegments(), users,
        config.seed());
    int[] labels = c.assignAll(vectors, users);
    Segmentation s = chosen.segmentation();
    Segmentation refitted = new Segmentation(s.representation(), c, segmentProfiles(train, labels, c.k(), catalog), s.movies(),
        s.movieClusters(), all);
    return new Result(refitted, chosen.elbows(), chosen.validationRmse(), chosen.validationLogLikelihood(), chosen.chosen(), labels,
        chosen.movieClusters());
  }

  /**
   * When the rating factorisation was drawn again on the whole training set, in a new embedding space
   * ({@link dev.recsys.trainer.mf.RatingMfTrainer#keepsSpace}): the movie clusters found again in
   * its movie factors, and the user segments too when they live in its user factors
   * ({@link Segmentation#EMBEDDING}), as many as chosen, renumbered after the old labels so ids keep
   * their meaning for models fitted before (the forest takes them as features). Segments in other
   * spaces are kept as they are.
   */
  public static Result refitEmbedding(Result chosen, RatingsTable train, EmbeddingTables mf, Catalog catalog, Config config) {
    Segmentation s = chosen.segmentation();
    int[] shaping = shapingMovies(train, config.minMovieRatings());
    Centroids movies = foundAgain(mf.itemEmbeddings(), mf.dim(), shaping, s.movies().k(), chosen.movieClusters(), train.numMovies(),
        config.seed());
    int[] movieLabels = movies.assignAll(mf.itemEmbeddings(), train.numMovies());
    Centroids users = s.users();
    int[] userLabels = chosen.userSegments();
    List<SegmentProfile> profiles = s.profiles();
    if (s.representation().equals(Segmentation.EMBEDDING)) {
      users = foundAgain(mf.userEmbeddings(), mf.dim(), activeUsers(train), users.k(), userLabels, train.numUsers(), config.seed());
      userLabels = users.assignAll(mf.userEmbeddings(), train.numUsers());
      profiles = segmentProfiles(train, userLabels, users.k(), catalog);
    }
    Segmentation refitted = new Segmentation(s.representation(), users, profiles, movies,
        movieClusterDescriptions(movieLabels, movies.k(), train.movieCounts(), shaping, catalog), s.implicit());
    return new Result(refitted, chosen.elbows(), chosen.validationRmse(), chosen.validationLogLikelihood(), chosen.chosen(), userLabels,
        movieLabels);
  }

  /** The users with at least one rating in {@code ratings}: those that shape the user segments. */
  private static int[] activeUsers(RatingsTable ratings) {
    return IntStream.range(0, ratings.numUsers()).filter(u -> ratings.userCount(u) > 0).toArray();
  }

  /**
   * {@code k} clusters found again, after a refit, in the rows {@code points} ({@code dim} values
   * each, {@code count} rows): K-Means over the {@code shaping} rows, renumbered after the labels
   * {@code old} the same rows had before, so ids keep their meaning.
   */
  private static Centroids foundAgain(float[] points, int dim, int[] shaping, int k, int[] old, int count, long seed) {
    return renumbered(kmeans(rows(points, dim, shaping), k, seed), old, points, count);
  }

  /**
   * {@code fitted}'s movie factors with every user of {@code train} given the exact row solve over
   * their ratings: the projection a new user gets, so known and new users are placed alike.
   */
  public static ImplicitSpace projected(ImplicitSpace fitted, RatingsTable train) {
    int users = train.numUsers();
    double[] gram = fitted.gram();
    float[] vectors = new float[users * fitted.dim()];
    IntStream.range(0, users).parallel().forEach(u -> {
      int[] movies = new int[train.userCount(u)];
      for (int i = 0; i < movies.length; i++) {
        movies[i] = train.movie(train.userStart(u) + i);
      }
      System.arraycopy(fitted.project(movies, gram), 0, vectors, u * fitted.dim(), fitted.dim());
    });
    return new ImplicitSpace(fitted.dim(), fitted.items(), fitted.itemFactors(), vectors, fitted.unobservedWeight(), fitted.l2(),
        fitted.frequencyScaling());
  }

  /** The movies with at least {@code minMovieRatings} ratings: those that shape the movie clusters. */
  public static int[] shapingMovies(RatingsTable ratings, int minMovieRatings) {
    int[] counts = ratings.movieCounts();
    return IntStream.range(0, ratings.numMovies()).filter(m -> counts[m] >= minMovieRatings).toArray();
  }

  /**
   * {@code found} with its centroids renumbered after the {@code old} labels of the same rows that
   * they overlap most: segment and cluster ids keep meaning what they meant to models fitted before
   * a refit (the forest takes them as features).
   *
   * @param old each row's label before the refit
   * @param rows the rows' points after the refit, {@code found.dim()} values each
   */
  public static Centroids renumbered(Centroids found, int[] old, float[] rows, int count) {
    int[] order = matchLabels(old, found.assignAll(rows, count), found.k());
    float[] values = new float[found.values().length];
    for (int s = 0; s < found.k(); s++) {
      System.arraycopy(found.values(), order[s] * found.dim(), values, s * found.dim(), found.dim());
    }
    return new Centroids(found.k(), found.dim(), values);
  }

  /**
   * For each old label {@code s}, the new cluster to number {@code s}: pairs taken greedily by the
   * most users in common, so matching clusters keep their numbers.
   */
  static int[] matchLabels(int[] old, int[] fresh, int k) {
    long[][] overlap = new long[k][k];
    for (int u = 0; u < old.length; u++) {
      if (old[u] >= 0 && old[u] < k) {
        overlap[old[u]][fresh[u]]++;
      }
    }
    int[] order = new int[k];
    boolean[] oldUsed = new boolean[k];
    boolean[] freshUsed = new boolean[k];
    for (int step = 0; step < k; step++) {
      int bestOld = -1;
      int bestFresh = -1;
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          if (!oldUsed[a] && !freshUsed[b] && (bestOld < 0 || overlap[a][b] > overlap[bestOld][bestFresh])) {
            bestOld = a;
            bestFresh = b;
          }
        }
      }
      oldUsed[bestOld] = true;
      freshUsed[bestFresh] = true;
      order[bestOld] = bestFresh;
    }
    return order;
  }

  /**
   * Smile's Lloyd iterations take NaN for a missing value: diverged factors would be clustered
   * silently, and a row of NaNs fails with an index error. Refused here, by name.
   */
  private static void requireFinite(double[][] points) {
    for (int i = 0; i < points.length; i++) {
      for (int j = 0; j < points[i].length; j++) {
        if (!Double.isFinite(points[i][j])) {
          throw new IllegalStateException("K-Means: point " + i + " has the non-finite value " + points[i][j] + " at dimension " + j
              + " (the factors it was given diverged)");
        }
      }
    }
  }

  static ElbowCurve elbow(double[][] points, long seed) {
    requireFinite(points);
    int maxK = Math.min(K_MAX, points.length - 1);
    int[] ks = IntStream.rangeClosed(K_MIN, Math.max(K_MIN, maxK)).toArray();
    double[] inertia = SeededRuns.inParallel(ks.length, i -> {
      MathEx.setSeed(seed);
      return KMeans.lloyd(points, new Clustering.Options(ks[i], 100)).distortion();
    }).stream().mapToDouble(Double::doubleValue).toArray();
    return ElbowCurve.of(ks, inertia);
  }

  /** K-Means++ restarts; the lowest-distortion run is kept (one run often lands in a poor local minimum). */
  static final int RESTARTS = 20;

  /**
   * K-Means++ with Smile, seeded, best of {@link #RESTARTS} runs; the centroids as floats. Smile's
   * plain Lloyd iterations, not its tree-filtered {@code KMeans.fit}: a box-decomposition tree prunes
   * little in 18 to 64 dimensions, and Lloyd ran 20 restarts 4-5x faster here (2026-11-30: 6,040
   * points of 64 dimensions, k = 7: 1.6-2.1 s against 8.8-10.1 s on one core) to the same distortion
   * within 1e-6 (both are exact Lloyd steps from the same K-Means++ seeds).
   */
  public static Centroids kmeans(double[][] all, int k, long seed) {
    requireFinite(all);
    double[][] points = sample(all, KMEANS_MAX_POINTS, seed);
    Clustering.Options options = new Clustering.Options(k, 100);
    List<CentroidClustering<double[], double[]>> runs = SeededRuns.inParallel(RESTARTS, run -> {
      MathEx.setSeed(seed + run);
      return KMeans.lloyd(points, options);
    });
    CentroidClustering<double[], double[]> model = runs.getFirst();
    for (CentroidClustering<double[], double[]> candidate : runs) {
      if (candidate.distortion() < model.distortion()) {
        model = candidate;
      }
    }
    int dim = points[0].length;
    float[] values = new float[model.k() * dim];
    for (int c = 0; c < model.k(); c++) {
      double[] center = model.center(c);
      for (int j = 0; j < dim; j++) {
        values[c * dim + j] = (float) center[j];
      }
    }
    return new Centroids(model.k(), dim, values);
  }

  /**
   * Most points K-Means learns its centroids from: above it, a seeded sample (every point is then
   * assigned to the nearest centroid). Centroids of a few segments settle long before 20,000 points,
   * and the cost of the restarts no longer grows with the number of users.
   */
  static final int KMEANS_MAX_POINTS = 20_000;

  private static double[][] sample(double[][] points, int max, long seed) {
    if (points.length <= max) {
      return points;
    }
    int[] order = dev.recsys.trainer.data.Shuffle.permutation(points.length, new java.util.SplittableRandom(seed ^ 0x2545F4914F6CDD1DL));
    double[][] out = new double[max][];
    for (int i = 0; i < max; i++) {
      out[i] = points[order[i]];
    }
    return out;
  }

  private static double[][] rows(float[] matrix, int dim, int[] which) {
    double[][] out = new double[which.length][dim];
    for (int i = 0; i < which.length; i++) {
      for (int j = 0; j < dim; j++) {
        out[i][j] = matrix[which[i] * dim + j];
      }
    }
    return out;
  }

  /** Pseudo-count pulling a segment's movie shares towards overall popularity. */
  static final double PICK_SMOOTHING = 50;

  /**
   * Mean log-probability of the validation ratings' movies under their users' segments' movie
   * distributions, {@code (c_sm + β p_m) / (n_s + β)} with {@code p_m} the add-one overall share.
   */
  static double segmentPickLogLikelihood(RatingsTable fit, RatingsTable validation, int[] labels, int k) {
    int movies = fit.numMovies();
    int[][] count = new int[k][movies];
    long[] total = new long[k];
    int[] overall = fit.movieCounts();
    for (int r = 0; r < fit.size(); r++) {
      int s = labels[fit.user(r)];
      count[s][fit.movie(r)]++;
      total[s]++;
    }
    double sum = 0;
    for (int r = 0; r < validation.size(); r++) {
      int s = labels[validation.user(r)];
      int m = validation.movie(r);
      double prior = (overall[m] + 1.0) / (fit.size() + movies);
      sum += Math.log((count[s][m] + PICK_SMOOTHING * prior) / (total[s] + PICK_SMOOTHING));
    }
    return validation.size() == 0 ? Double.NaN : sum / validation.size();
  }

  /** Validation RMSE of {@code baseline + segment-by-genre residual offsets}. */
  static double segmentGenreRmse(RatingsTable fit, RatingsTable validation, int[] labels, int k, BiasModel baseline, Catalog catalog) {
    int genres = catalog.genres().size();
    double[] sum = new double[k * genres];
    int[] count = new int[k * genres];
    for (int r = 0; r < fit.size(); r++) {
      int s = labels[fit.user(r)];
      double residual = fit.rating(r) - baseline.predict(fit.user(r), fit.movie(r));
      long mask = catalog.genreMask(fit.movie(r));
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        sum[s * genres + g] += residual;
        count[s * genres + g]++;
      }
    }
    double se = 0;
    for (int r = 0; r < validation.size(); r++) {
      int u = validation.user(r);
      int m = validation.movie(r);
      int s = labels[u];
      long mask = catalog.genreMask(m);
      double offset = 0;
      int n = 0;
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        offset += sum[s * genres + g] / (count[s * genres + g] + 10.0);
        n++;
      }
      double prediction = baseline.predict(u, m) + (n == 0 ? 0 : offset / n);
      double e = prediction - validation.rating(r);
      se += e * e;
    }
    return validation.size() == 0 ? Double.NaN : Math.sqrt(se / validation.size());
  }

  private static List<SegmentProfile> segmentProfiles(RatingsTable fit, int[] labels, int k, Catalog catalog) {
    int genres = catalog.genres().size();
    long[] size = new long[k];
    double[] ratingSum = new double[k];
    long[] ratingCount = new long[k];
    long[][] genreCount = new long[k][genres];
    int[][] movieCount = new int[k][fit.numMovies()];
    for (int u = 0; u < fit.numUsers(); u++) {
      if (fit.userCount(u) > 0) {
        size[labels[u]]++;
      }
    }
    for (int r = 0; r < fit.size(); r++) {
      int s = labels[fit.user(r)];
      ratingSum[s] += fit.rating(r);
      ratingCount[s]++;
      movieCount[s][fit.movie(r)]++;
      long mask = catalog.genreMask(fit.movie(r));
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        genreCount[s][g]++;
      }
    }
    List<SegmentProfile> profiles = new ArrayList<>();
    for (int s = 0; s < k; s++) {
      profiles.add(
          new SegmentProfile(
              s, size[s], ratingCount[s] == 0 ? 0 : ratingSum[s] / ratingCount[s],
              topGenres(genreCount[s], ratingCount[s], catalog, 5), topIndexes(movieCount[s], 10)));
    }
    return profiles;
  }

  private static List<MovieCluster> movieClusterDescriptions(int[] labels, int k, int[] counts, int[] shaping, Catalog catalog) {
    int genres = catalog.genres().size();
    long[] size = new long[k];
    long[][] genreCount = new long[k][genres];
    int[][] popularity = new int[k][labels.length];
    for (int m : shaping) {
      int c = labels[m];
      size[c]++;
      popularity[c][m] = counts[m];
      long mask = catalog.genreMask(m);
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        genreCount[c][g]++;
      }
    }
    List<MovieCluster> clusters = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      clusters.add(new MovieCluster(c, size[c], topGenres(genreCount[c], size[c], catalog, 3), topIndexes(popularity[c], 5)));
    }
    return clusters;
  }

  private static List<GenreShare> topGenres(long[] counts, long total, Catalog catalog, int n) {
    return IntStream.range(0, counts.length)
        .boxed()
        .sorted(Comparator.comparingLong((Integer g) -> -counts[g]).thenComparing(g -> g))
        .limit(n)
        .filter(g -> counts[g] > 0)
        .map(g -> new GenreShare(catalog.genres().get(g), total == 0 ? 0 : (double) counts[g] / total))
        .toList();
  }

  private static List<Integer> topIndexes(int[] counts, int n) {
    return IntStream.range(0, counts.length)
        .boxed()
        .filter(i -> counts[i] > 0)
        .sorted(Comparator.comparingInt((Integer i) -> -counts[i]).thenComparing(i -> i))
        .limit(n)
        .toList();
  }

}
