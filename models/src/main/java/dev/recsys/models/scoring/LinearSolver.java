package dev.recsys.models.scoring;

/**
 * Solves small symmetric positive-definite systems by Cholesky decomposition (in double precision),
 * and narrows double results to the floats the models store.
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
