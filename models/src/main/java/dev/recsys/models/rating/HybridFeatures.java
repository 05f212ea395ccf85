package dev.recsys.models.rating;

import dev.recsys.models.profiles.GenreAffinity;
import java.util.ArrayList;
import java.util.List;

/**
 * The features of the Random Forest hybrid for one (user, movie) pair: collaborative scores (MF,
 * baseline, kNN), the biases, rating counts and means, the user's affinity for the movie's genres,
 * the release year, the user's segment and the movie's cluster, and one flag per genre. The single
 * definition used by training and serving. Thread-safe.
 */
public final class HybridFeatures {

  private static final List<String> FIXED =
      List.of(
          "mf_score", "baseline_score", "knn_score", "knn_neighbors_used", "knn_similarity_sum", "user_bias", "movie_bias", "log_user_count",
          "log_movie_count", "user_mean", "movie_mean", "user_std", "movie_std", "genre_affinity_mean", "genre_affinity_max",
          "release_year", "user_segment", "movie_cluster");

  /**
   * The implicit-ALS score {@code <w_u, h_i>}: how much the movie is like what the user chose to
   * rate, whatever the stars (the implicit-feedback signal of SVD++). Forests trained before it
   * existed do not ask for it.
   */
  public static final String IMPLICIT_SCORE = "implicit_score";

  private final FeatureSources s;
  private final int genres;

  public HybridFeatures(FeatureSources sources) {
    this.s = sources;
    this.genres = sources.catalog().genres().size();
  }

  /**
   * Feature names, in order: the fixed ones, the implicit score when the sources have implicit
   * factors, then {@code genre_<name>} per genre.
   */
  public static List<String> names(List<String> genreNames, boolean implicit) {
    List<String> names = new ArrayList<>(FIXED);
    if (implicit) {
      names.add(IMPLICIT_SCORE);
    }
    for (String g : genreNames) {
      names.add("genre_" + g.replaceAll("[^A-Za-z0-9]", "_"));
    }
    return names;
  }

  private double implicitScore(int user, int movie) {
    var space = s.implicit();
    if (user >= space.users()) {
      return 0;
    }
    int d = space.dim();
    double dot = 0;
    for (int k = 0; k < d; k++) {
      dot += space.userFactors()[user * d + k] * space.itemFactors()[movie * d + k];
    }
    return dot;
  }

  /** Whether the sources carry implicit-ALS factors. */
  public boolean hasImplicit() {
    return s.implicit() != null;
  }

  public List<String> names() {
    return names(s.catalog().genres(), hasImplicit());
  }

  public int size() {
    return FIXED.size() + (hasImplicit() ? 1 : 0) + genres;
  }

  /** Writes the features of (user, movie) into {@code out[0 .. size())}. */
  public void fill(int user, int movie, double[] out) {
    var p = s.profiles();
    long mask = s.catalog().genreMask(movie);
    float[] affinity = GenreAffinity.summarise(p.userAffinities(), user * p.genres(), mask);
    int year = s.catalog().year(movie);
    int i = 0;
    out[i++] = s.mf().score(user, movie);
    out[i++] = s.baseline().predict(user, movie);
    double[] support = new double[2];
    out[i++] = s.knn().predict(user, movie, support);
    out[i++] = support[0];
    out[i++] = support[1];
    out[i++] = s.baseline().userBiases()[user];
    out[i++] = s.baseline().movieBiases()[movie];
    out[i++] = Math.log1p(p.userCounts()[user]);
    out[i++] = Math.log1p(p.movieCounts()[movie]);
    out[i++] = p.userMeans()[user];
    out[i++] = p.movieMeans()[movie];
    out[i++] = p.userStds()[user];
    out[i++] = p.movieStds()[movie];
    out[i++] = affinity[0];
    out[i++] = affinity[1];
    // Unknown years sit at the median of the MovieLens range rather than at year 0.
    out[i++] = year > 0 ? year : 1995;
    out[i++] = s.userSegments()[user];
    out[i++] = s.movieClusters()[movie];
    if (hasImplicit()) {
      out[i++] = implicitScore(user, movie);
    }
    for (int g = 0; g < genres; g++) {
      out[i++] = (mask & (1L << g)) != 0 ? 1 : 0;
    }
  }
}
