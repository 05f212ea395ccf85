package dev.recsys.trainer.publish;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.embedding.FactorLikeEmbeddings;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.neighbors.KnnBaseline;
import dev.recsys.models.profiles.Profiles;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.rating.FeatureSources;
import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.segments.Assignments;
import dev.recsys.models.segments.Centroids;
import dev.recsys.models.segments.MovieCluster;
import dev.recsys.models.segments.SegmentProfile;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.Layout;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.mf.RatingMfTrainer;
import dev.recsys.trainer.rating.BaselineFitter;
import dev.recsys.trainer.rating.ForestFitter;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.rating.SegmentFitter;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import tools.jackson.databind.node.ObjectNode;

/**
 * A servable version of any size without training: a synthetic catalogue and ratings, factor-like
 * embeddings (low rank plus noise, {@link FactorLikeEmbeddings}), random neighbour tables, a small forest fitted on the real feature pipeline. It goes
 * through the same publisher and self-check as a trained version, so the server cannot tell it
 * apart. For scale benchmarks (catalogues of a million movies, a million users); its predictions
 * mean nothing.
 */
public final class SyntheticVersion {

  static final List<String> GENRES = List.of("Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary",
      "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

  /**
   * @param movies catalogue size
   * @param users users
   * @param ratingsPerUser ratings of each user (their movies are excluded from their recommendations)
   * @param dim embedding dimension
   * @param neighbors neighbours per movie in both neighbour tables
   */
  public record Spec(int movies, int users, int ratingsPerUser, int dim, int neighbors, long seed) {
    public Spec {
      if (movies < 100 || users < 10 || ratingsPerUser < 1 || ratingsPerUser > movies / 2 || dim < 1 || neighbors < 1) {
        throw new IllegalArgumentException("synthetic version needs >= 100 movies, >= 10 users, 1 to movies/2 ratings per user, dim and neighbours >= 1");
      }
    }
  }

  private SyntheticVersion() {}

  public static TrainedVersion build(Spec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    Catalog catalog = catalog(spec.movies(), random);
    long[] userIds = new long[spec.users()];
    for (int u = 0; u < userIds.length; u++) {
      userIds[u] = u + 1;
    }
    RatingsTable ratings = ratings(spec, random);
    MovieLensData data = new MovieLensData("synthetic-" + spec.movies() + "m-" + spec.users() + "u", "0".repeat(64), Layout.CSV,
        catalog, ratings, userIds, new DataQuality(), Optional.empty());

    RatingScale scale = new RatingScale(0.5f, 5f);
    UserRatings userRatings = ratings.toUserRatings(userIds);
    Profiles profiles = Profiles.of(userRatings, catalog);
    BiasModel baseline = BaselineFitter.fit(ratings, BaselineFitter.Config.defaults());
    ItemNeighbors knnTable = randomNeighbors(spec.movies(), spec.neighbors(), random);
    KnnBaseline knn = new KnnBaseline(baseline, userRatings, knnTable, 40);
    EmbeddingTables mf = FactorLikeEmbeddings.generate(spec.users(), spec.movies(), spec.dim(), baseline.userBiases(), baseline.movieBiases(), baseline.mean(), random);
    Segmentation segmentation = segmentation(spec.dim(), random);
    Assignments assignments = Assignments.of(segmentation, mf, profiles);
    HybridFeatures features = new HybridFeatures(new FeatureSources(mf, baseline, knn, profiles, catalog, assignments.userSegments(), assignments.movieClusters(), null));
    int[] sample = new int[Math.min(2000, ratings.size())];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = (int) ((long) i * ratings.size() / sample.length);
    }
    ForestModel forest = new ForestModel(ForestFitter.fit(features, ratings.subset(sample), new ForestFitter.Config(10, 8, 64, 10, 1.0, spec.seed(), ForestFitter.DEFAULT_MAX_ROWS)), features);
    SegmentFitter.Result segments = new SegmentFitter.Result(segmentation, Map.of(), Map.of(), Map.of(), segmentation.representation(),
        assignments.userSegments(), assignments.movieClusters());
    RatingPipeline.Fitted rating = new RatingPipeline.Fitted(scale, new Fold(0, ratings, ratings.subset(new int[0])), userRatings, profiles,
        baseline, knnTable, knn, new RatingMfTrainer.Result(mf, List.of(), 0, Double.NaN, dev.recsys.trainer.mf.MfConfig.Solver.ADAM), segments, forest, assignments, Map.of(), Map.of());

    EmbeddingTables ranking = FactorLikeEmbeddings.generate(spec.users(), spec.movies(), spec.dim(), new float[spec.users()], new float[spec.movies()], 0, random);
    float positive = 0;
    for (int i = 0; i < 1000; i++) {
      int row = random.nextInt(ratings.size());
      positive += ranking.score(ratings.user(row), ratings.movie(row));
    }
    RankingPipeline.Fitted top = RankingPipeline.Fitted.embeddingOnly(ranking, randomNeighbors(spec.movies(), spec.neighbors(), random),
        ratings.movieCounts(), new FoldIn.Implicit(positive / 1000 + 1, 0, 0.01f, 10f), 0.3);

    ObjectNode metrics = Json.object();
    metrics.put("synthetic", 1);
    ObjectNode hyper = Json.MAPPER.valueToTree(spec);
    return new TrainedVersion(data, rating, "forest", top, "ranking", metrics, hyper, spec.seed(), 0, "data synth-version " + spec, 0.1f, null);
  }

  private static Catalog catalog(int movies, SplittableRandom random) {
    long[] ids = new long[movies];
    String[] titles = new String[movies];
    int[] years = new int[movies];
    long[] masks = new long[movies];
    for (int m = 0; m < movies; m++) {
      ids[m] = m + 1;
      titles[m] = "Synthetic Movie " + (m + 1);
      years[m] = 1930 + random.nextInt(95);
      masks[m] = (1L << random.nextInt(GENRES.size())) | (random.nextBoolean() ? 1L << random.nextInt(GENRES.size()) : 0);
    }
    return new Catalog(ids, titles, years, masks, GENRES);
  }

  /** Each user rates distinct movies, popular ones more often (a cubic skew towards low ids). */
  private static RatingsTable ratings(Spec spec, SplittableRandom random) {
    int n = spec.users() * spec.ratingsPerUser();
    int[] users = new int[n];
    int[] movies = new int[n];
    float[] stars = new float[n];
    int[] times = new int[n];
    int[] chosen = new int[spec.ratingsPerUser()];
    int row = 0;
    for (int u = 0; u < spec.users(); u++) {
      int count = 0;
      while (count < chosen.length) {
        double x = random.nextDouble();
        int m = (int) (spec.movies() * x * x * x);
        boolean seen = false;
        for (int i = 0; i < count && !seen; i++) {
          seen = chosen[i] == m;
        }
        if (!seen) {
          chosen[count++] = m;
        }
      }
      Arrays.sort(chosen);
      for (int m : chosen) {
        users[row] = u;
        movies[row] = m;
        stars[row] = (1 + random.nextInt(10)) / 2f;
        times[row] = 1_000_000_000 + random.nextInt(500_000_000);
        row++;
      }
    }
    return RatingsTable.ofSorted(spec.users(), spec.movies(), users, movies, stars, times);
  }

  private static ItemNeighbors randomNeighbors(int movies, int k, SplittableRandom random) {
    int[] offsets = new int[movies + 1];
    int[] neighbors = new int[movies * k];
    float[] sims = new float[movies * k];
    for (int m = 0; m < movies; m++) {
      for (int j = 0; j < k; j++) {
        int other = random.nextInt(movies - 1);
        neighbors[m * k + j] = other >= m ? other + 1 : other;
        sims[m * k + j] = 0.9f - 0.8f * j / k;
      }
      offsets[m + 1] = (m + 1) * k;
    }
    return new ItemNeighbors(offsets, neighbors, sims);
  }

  private static Segmentation segmentation(int dim, SplittableRandom random) {
    int users = 7;
    int genres = GENRES.size();
    float[] userCentroids = new float[users * genres];
    for (int i = 0; i < userCentroids.length; i++) {
      userCentroids[i] = (float) (random.nextGaussian() * 0.2);
    }
    float[] movieCentroids = new float[12 * dim];
    for (int i = 0; i < movieCentroids.length; i++) {
      movieCentroids[i] = (float) (random.nextGaussian() * 0.1);
    }
    List<SegmentProfile> profiles = new ArrayList<>();
    for (int s = 0; s < users; s++) {
      profiles.add(new SegmentProfile(s, 0, 3.5, List.of(new SegmentProfile.GenreShare(GENRES.get(s), 0.3)), List.of(s)));
    }
    List<MovieCluster> clusters = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      clusters.add(new MovieCluster(c, 0, List.of(new SegmentProfile.GenreShare(GENRES.get(c), 0.5)), List.of(c)));
    }
    return new Segmentation(Segmentation.GENRE_AFFINITY, new Centroids(users, genres, userCentroids), profiles,
        new Centroids(12, dim, movieCentroids), clusters, null);
  }
}
