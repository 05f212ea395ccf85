package dev.recsys.models.segments;

import dev.recsys.models.scoring.LinearSolver;

/**
 * Users as implicit-ALS factors (what they rated, not how): the space user segments are found in
 * when it explains taste best. Movies carry fixed factors; a user's vector is the exact implicit-ALS
 * row solve over the movies they rated,
 * {@code (α₀ HᵀH + Σ_{i∈I_u} h_i h_iᵀ + λ (n_u + α₀ n)^ν I) w = Σ_{i∈I_u} h_i}, so known users
 * (precomputed at training) and new users (projected on request) land in the same space.
 * Immutable and thread-safe.
 *
 * @param dim factors per movie
 * @param items movies
 * @param itemFactors {@code items * dim}, row-major
 * @param userFactors {@code users * dim} for the version's known users
 * @param unobservedWeight α₀
 * @param l2 λ
 * @param frequencyScaling ν
 */
public record ImplicitSpace(int dim, int items, float[] itemFactors, float[] userFactors, double unobservedWeight, double l2,
    double frequencyScaling) {

  public ImplicitSpace {
    if (dim < 1 || items < 0 || itemFactors.length != (long) items * dim || userFactors.length % dim != 0) {
      throw new IllegalArgumentException("implicit space: " + itemFactors.length + " movie and " + userFactors.length
          + " user values do not fit " + items + " movies of dimension " + dim);
    }
    if (!(unobservedWeight > 0) || !(l2 > 0) || !(frequencyScaling >= 0)) {
      throw new IllegalArgumentException("implicit space: bad settings " + unobservedWeight + ", " + l2 + ", " + frequencyScaling);
    }
    if (dev.recsys.models.tensors.Tensor.firstNonFinite(itemFactors) >= 0) {
      throw new IllegalArgumentException("implicit space: a movie factor is not finite");
    }
  }

  /** Known users. */
  public int users() {
    return userFactors.length / dim;
  }

  /** The stored vector of known user {@code u}. */
  public float[] userVector(int u) {
    float[] v = new float[dim];
    System.arraycopy(userFactors, u * dim, v, 0, dim);
    return v;
  }

  /** α₀ HᵀH, the part of every row solve that does not depend on the user. */
  public double[] gram() {
    return LinearSolver.gram(itemFactors, items, dim, unobservedWeight);
  }

  /** Whether {@code g} is {@link #gram()} (tested, not rebuilt: {@link LinearSolver#isGramOf}). */
  public boolean isGram(double[] g) {
    return LinearSolver.isGramOf(g, itemFactors, items, dim, unobservedWeight);
  }

  /** The vector of a user who rated {@code movies} (indexes; duplicates count once each time). */
  public float[] project(int[] movies, double[] gram) {
    double[] a = gram.clone();
    double[] b = new double[dim];
    double penalty = l2 * Math.pow(movies.length + unobservedWeight * items, frequencyScaling);
    for (int x = 0; x < dim; x++) {
      a[x * dim + x] += penalty;
    }
    for (int m : movies) {
      int base = m * dim;
      for (int x = 0; x < dim; x++) {
        double hx = itemFactors[base + x];
        b[x] += hx;
        for (int y = 0; y <= x; y++) { // lower triangle: all the Cholesky solve reads
          a[x * dim + y] += hx * itemFactors[base + y];
        }
      }
    }
    double[] w = LinearSolver.solveSpd(a, b, dim);
    float[] out = new float[dim];
    for (int x = 0; x < dim; x++) {
      out[x] = (float) w[x];
    }
    return out;
  }
}
