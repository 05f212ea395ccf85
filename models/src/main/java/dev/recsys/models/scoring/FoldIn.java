package dev.recsys.models.scoring;

import dev.recsys.models.embedding.EmbeddingTables;

/**
 * Embeds a user the model has never seen from a few (movie, rating) pairs, by regularised least
 * squares against the model's fixed movie embeddings: no retraining, one small linear solve.
 *
 * <p>For the <b>ranking</b> model (implicit feedback) this is the implicit-ALS projection: rated
 * movies are pulled towards the score a training positive gets ({@code positiveTarget}) if liked, or
 * towards {@code negativeTarget} if disliked, with a confidence growing with the rating's distance
 * from the middle of the scale; every other movie is weakly pulled towards {@code negativeTarget}
 * ({@code backgroundWeight}, through the precomputed Gram matrix of all movie embeddings, so the cost
 * does not grow with the catalogue). For the <b>rating</b> factorisation it fits the user's
 * embedding and bias to the ratings' residuals. Immutable and thread-safe.
 */
public final class FoldIn {

  /** Settings of the implicit projection. */
  public record Implicit(float positiveTarget, float negativeTarget, float backgroundWeight, float l2) {}

  /** The ranking model's movie side (the kernel's copy: a server holds no other). */
  private final DotScorer movies;
  private final int dim;
  private final double[] gram;
  private final double[] background;

  private final Implicit implicit;

  private FoldIn(DotScorer movies, Implicit implicit, double[] gram) {
    this.movies = movies;
    this.dim = movies.dim();
    this.implicit = implicit;
    this.gram = gram;
    this.background = new double[dim];
    float[] q = new float[dim];
    for (int i = 0; i < movies.items(); i++) {
      movies.copyRow(i, q);
      double target = implicit.negativeTarget() - movies.bias(i);
      for (int a = 0; a < dim; a++) {
        background[a] += q[a] * target;
      }
    }
  }

  /** Fold-in for a ranking model. */
  public static FoldIn implicit(EmbeddingTables model, Implicit settings) {
    return implicit(DotScorer.of(model), settings, gramOf(model));
  }

  /**
   * Fold-in for a ranking model's movie side whose {@link #gramOf Gram matrix} is already known
   * (published with the version and checked by the loader).
   */
  public static FoldIn implicit(DotScorer movies, Implicit settings, double[] gram) {
    if (gram.length != movies.dim() * movies.dim()) {
      throw new IllegalArgumentException("a Gram matrix of " + gram.length + " values for dimension " + movies.dim());
    }
    return new FoldIn(movies, settings, gram);
  }

  /**
   * {@code QᵀQ} over every movie embedding of {@code model} (row-major, {@code dim x dim}): the
   * background's share of every implicit projection, and a load's largest fold-in cost.
   */
  public static double[] gramOf(EmbeddingTables model) {
    return LinearSolver.gram(model.itemEmbeddings(), model.items(), model.dim(), 1.0);
  }

  /**
   * The part of a profile's system that the projection's weights leave alone: the lower triangle
   * of {@code Σ c q qᵀ} over the rated movies and {@code Σ c q t}. It depends on the model and the
   * targets only, so one profile serves every background weight and penalty tried (a search folds
   * the same users in again for each setting).
   */
  public record Profile(double[] gram, double[] target) {}

  /**
   * The profile of these ratings (see {@link Profile}).
   *
   * @param movies movie indexes
   * @param ratings their star ratings
   * @param midpoint the rating that is neither liked nor disliked (middle of the scale)
   * @param span half the scale's width (for confidence)
   */
  public Profile profile(int[] movies, float[] ratings, float midpoint, float span) {
    double[] a = new double[dim * dim];
    double[] b = new double[dim];
    float[] q = new float[dim];
    for (int j = 0; j < movies.length; j++) {
      this.movies.copyRow(movies[j], q);
      boolean liked = ratings[j] >= midpoint;
      double confidence = 1 + 2 * Math.abs(ratings[j] - midpoint) / span;
      double target = (liked ? implicit.positiveTarget() : implicit.negativeTarget()) - this.movies.bias(movies[j]);
      for (int x = 0; x < dim; x++) {
        double qx = q[x];
        b[x] += confidence * qx * target;
        // The lower triangle only: the Cholesky solve reads nothing else (half the work per rating).
        for (int y = 0; y <= x; y++) {
          a[x * dim + y] += confidence * qx * q[y];
        }
      }
    }
    return new Profile(a, b);
  }

  /** The user vector of the ranking model for these ratings (arguments as in {@link #profile}). */
  public float[] rankingVector(int[] movies, float[] ratings, float midpoint, float span) {
    return rankingVector(profile(movies, ratings, midpoint, span));
  }

  /** The user vector of the ranking model for a profile made by a fold-in of the same model and targets. */
  public float[] rankingVector(Profile profile) {
    double w0 = implicit.backgroundWeight();
    double[] a = new double[dim * dim];
    double[] b = new double[dim];
    for (int x = 0; x < dim; x++) {
      for (int y = 0; y <= x; y++) {
        a[x * dim + y] = w0 * gram[x * dim + y] + profile.gram()[x * dim + y];
      }
      a[x * dim + x] += implicit.l2();
      b[x] = w0 * background[x] + profile.target()[x];
    }
    return LinearSolver.toFloats(LinearSolver.solveSpd(a, b, dim));
  }

  /**
   * The embedding and bias of a user of a rating factorisation for these ratings: minimises
   * {@code sum (r - globalBias - itemBias - userBias - <p, q>)^2 + l2 * n * (|p|^2 + userBias^2)}.
   *
   * @return {@code dim + 1} values: the embedding, then the user bias
   */
  public static float[] ratingVector(EmbeddingTables model, int[] movies, float[] ratings, float l2) {
    int n = model.dim() + 1;
    double[] a = new double[n * n];
    double[] b = new double[n];
    double lambda = l2 * Math.max(1, movies.length);
    for (int i = 0; i < n; i++) {
      a[i * n + i] = lambda;
    }
    float[] q = model.itemEmbeddings();
    double[] x = new double[n];
    for (int j = 0; j < movies.length; j++) {
      int base = movies[j] * model.dim();
      for (int k = 0; k < model.dim(); k++) {
        x[k] = q[base + k];
      }
      x[n - 1] = 1;
      double y = ratings[j] - model.globalBias() - model.itemBiases()[movies[j]];
      for (int r = 0; r < n; r++) {
        b[r] += x[r] * y;
        for (int c = 0; c <= r; c++) { // lower triangle: all the Cholesky solve reads
          a[r * n + c] += x[r] * x[c];
        }
      }
    }
    return LinearSolver.toFloats(LinearSolver.solveSpd(a, b, n));
  }
}
