package dev.recsys.models.scoring;

/**
 * Solves small symmetric positive-definite systems by Cholesky decomposition (in double precision),
 * builds the Gram matrices they start from, and narrows double results to the floats the models
 * store.
 */
public final class LinearSolver {

  private LinearSolver() {}

  /** {@code v} narrowed to floats (solutions, biases, Gram terms computed in double). */
  public static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /**
   * {@code weight · FᵀF} of {@code rows} factor rows of dimension {@code dim} (row-major), as a full
   * symmetric {@code dim x dim} matrix in double precision. Four rows at a time, so each pass over
   * the upper triangle does four rows' work (a version load builds two of these over every movie).
   */
  public static double[] gram(float[] factors, int rows, int dim, double weight) {
    double[] g = new double[dim * dim];
    int i = 0;
    for (; i + 3 < rows; i += 4) {
      int r0 = i * dim;
      int r1 = r0 + dim;
      int r2 = r1 + dim;
      int r3 = r2 + dim;
      for (int a = 0; a < dim; a++) {
        double f0 = factors[r0 + a];
        double f1 = factors[r1 + a];
        double f2 = factors[r2 + a];
        double f3 = factors[r3 + a];
        int row = a * dim;
        for (int b = a; b < dim; b++) {
          g[row + b] += f0 * factors[r0 + b] + f1 * factors[r1 + b] + f2 * factors[r2 + b] + f3 * factors[r3 + b];
        }
      }
    }
    for (; i < rows; i++) {
      int r = i * dim;
      for (int a = 0; a < dim; a++) {
        double f = factors[r + a];
        for (int b = a; b < dim; b++) {
          g[a * dim + b] += f * factors[r + b];
        }
      }
    }
    for (int a = 0; a < dim; a++) {
      for (int b = a; b < dim; b++) {
        g[a * dim + b] *= weight;
        g[b * dim + a] = g[a * dim + b];
      }
    }
    return g;
  }

  /**
   * Whether {@code g} is {@link #gram}{@code (factors, rows, dim, weight)}, tested without rebuilding
   * it (Freivalds' check): for random Gaussian vectors {@code r}, {@code g r} must equal
   * {@code weight · Fᵀ(F r)}, two passes over {@code F} ({@code O(rows·dim)}) where rebuilding costs
   * {@code O(rows·dim²)}. A matrix that differs by more than rounding fails unless the difference
   * happens to be orthogonal to both probes, which has probability zero. The probes are seeded: a
   * given matrix is judged the same way every time. {@code g} must also be finite and symmetric.
   */
  public static boolean isGramOf(double[] g, float[] factors, int rows, int dim, double weight) {
    if (g.length != dim * dim) {
      return false;
    }
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b <= a; b++) {
        if (!Double.isFinite(g[a * dim + b]) || g[a * dim + b] != g[b * dim + a]) {
          return false;
        }
      }
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(0x6a09e667f3bcc909L);
    double[] r1 = new double[dim];
    double[] r2 = new double[dim];
    double largest = 0;
    for (int a = 0; a < dim; a++) {
      r1[a] = random.nextGaussian();
      r2[a] = random.nextGaussian();
      largest = Math.max(largest, Math.max(Math.abs(r1[a]), Math.abs(r2[a])));
    }
    // One pass over F for both probes and the scale: each row's two dot products and its squares
    // in split (even, odd) sums, so six short dependency chains run side by side instead of two
    // long ones (a load spent more time here than in rebuilding the matrix before: JFR).
    double[] e1 = new double[dim];
    double[] e2 = new double[dim];
    double sumOfSquares = 0;
    int pairs = dim & ~1;
    for (int i = 0; i < rows; i++) {
      int base = i * dim;
      double p1 = 0;
      double q1 = 0;
      double p2 = 0;
      double q2 = 0;
      double ps = 0;
      double qs = 0;
      for (int a = 0; a < pairs; a += 2) {
        double f = factors[base + a];
        double h = factors[base + a + 1];
        p1 += f * r1[a];
        q1 += h * r1[a + 1];
        p2 += f * r2[a];
        q2 += h * r2[a + 1];
        ps += f * f;
        qs += h * h;
      }
      if (pairs < dim) {
        double f = factors[base + pairs];
        p1 += f * r1[pairs];
        p2 += f * r2[pairs];
        ps += f * f;
      }
      double fr1 = p1 + q1;
      double fr2 = p2 + q2;
      sumOfSquares += ps + qs;
      for (int a = 0; a < dim; a++) {
        double f = factors[base + a];
        e1[a] += f * fr1;
        e2[a] += f * fr2;
      }
    }
    // Both sides sum rows·dim products in double: their rounding stays far below this bound.
    double tolerance = 1e-7 * weight * sumOfSquares * largest * dim + Double.MIN_NORMAL;
    for (int a = 0; a < dim; a++) {
      double got1 = 0;
      double got2 = 0;
      for (int b = 0; b < dim; b++) {
        got1 += g[a * dim + b] * r1[b];
        got2 += g[a * dim + b] * r2[b];
      }
      if (!(Math.abs(got1 - weight * e1[a]) <= tolerance) || !(Math.abs(got2 - weight * e2[a]) <= tolerance)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Solves {@code a x = b} for a symmetric positive-definite {@code a} (n x n, row-major, overwritten).
   * Reads only the lower triangle and the diagonal of {@code a}: callers may leave the rest unfilled.
   *
   * @throws IllegalArgumentException if {@code a} is not positive definite
   */
  public static double[] solveSpd(double[] a, double[] b, int n) {
    cholesky(a, n);
    return solveLowerTransposed(a, solveLower(a, b, n), n);
  }

  /**
   * Overwrites the lower triangle of the symmetric positive-definite {@code a} (n x n, row-major) with
   * its Cholesky factor {@code L} ({@code a = L Lᵀ}); reads only the lower triangle and the diagonal.
   *
   * @throws IllegalArgumentException if {@code a} is not positive definite
   */
  public static void cholesky(double[] a, int n) {
    for (int j = 0; j < n; j++) {
      double d = a[j * n + j];
      for (int k = 0; k < j; k++) {
        d -= a[j * n + k] * a[j * n + k];
      }
      if (!(d > 0)) {
        throw new IllegalArgumentException("matrix is not positive definite");
      }
      double l = Math.sqrt(d);
      a[j * n + j] = l;
      for (int i = j + 1; i < n; i++) {
        double s = a[i * n + j];
        for (int k = 0; k < j; k++) {
          s -= a[i * n + k] * a[j * n + k];
        }
        a[i * n + j] = s / l;
      }
    }
  }

  /** {@code L⁻¹ b} for the factor {@link #cholesky} left in the lower triangle of {@code l}. */
  public static double[] solveLower(double[] l, double[] b, int n) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * y[k];
      }
      y[i] = s / l[i * n + i];
    }
    return y;
  }

  /** {@code L⁻ᵀ y} for the factor {@link #cholesky} left in the lower triangle of {@code l}. */
  public static double[] solveLowerTransposed(double[] l, double[] y, int n) {
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * n + i] * x[k];
      }
      x[i] = s / l[i * n + i];
    }
    return x;
  }
}
