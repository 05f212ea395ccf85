package dev.recsys.trainer.als;

import dev.recsys.models.scoring.LinearSolver;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Solves every row {@code x_r} of a factor matrix against the fixed other side {@code y}:
 * <pre>
 *   (G + Σ_k y_k y_kᵀ + diag(penalty_r)) x_r = Σ_k t_k y_k
 * </pre>
 * over the row's observations {@code k} (column {@code c_k}, target {@code t_k}), with an optional
 * dense term {@code G} shared by every row (implicit ALS's weighted Gram matrix of all columns). A
 * few conjugate-gradient steps warm-started from the current row: each step costs {@code O(w²)} for
 * {@code G} plus {@code O(w)} per observation, never the {@code O(w³)} of a direct solve, and a
 * warm start from the previous alternation needs only a few steps (Rendle et al. 2021). Rows are
 * independent and solved in parallel; each row's arithmetic is sequential, so results do not depend
 * on the thread count. The matrix-vector products run in float on {@link RowKernels} (SIMD where the
 * JVM has the Vector API); the conjugate-gradient recurrences stay in double.
 */
public final class RowSolves {

  /** A row's observations: index range, and the column and target of each. */
  public interface Observations {
    int start(int row);

    int end(int row);

    int column(int k);

    double target(int k);
  }

  /** Fills {@code out} (width {@code w}) with the diagonal penalty of {@code row}, which has {@code observed} observations. */
  @FunctionalInterface
  public interface Penalty {
    void of(int row, int observed, double[] out);
  }

  private RowSolves() {}

  /** True when the row solves run on the Vector API's SIMD kernels (see {@link RowKernels}). */
  public static boolean vectorised() {
    return RowKernels.vectorised();
  }

  /** Observations given by their parts (e.g. a table's row ranges, its column array, a target rule). */
  public static Observations observations(java.util.function.IntUnaryOperator start, java.util.function.IntUnaryOperator end,
      java.util.function.IntUnaryOperator column, java.util.function.IntToDoubleFunction target) {
    return new Observations() {
      @Override
      public int start(int row) {
        return start.applyAsInt(row);
      }

      @Override
      public int end(int row) {
        return end.applyAsInt(row);
      }

      @Override
      public int column(int k) {
        return column.applyAsInt(k);
      }

      @Override
      public double target(int k) {
        return target.applyAsDouble(k);
      }
    };
  }

  /**
   * Updates {@code x} ({@code n} rows of width {@code w}) in place.
   *
   * @param y the fixed side, rows of width {@code w}
   * @param gram a {@code w x w} row-major term added to every row's matrix, or null
   * @param steps conjugate-gradient steps per row ({@code w} solve exactly)
   */
  public static void solve(float[] x, int n, float[] y, int w, double[] gram, Observations obs, Penalty penalty, int steps) {
    solve(x, n, y, w, gram, obs, penalty, steps, RowKernels::create);
  }

  /** As above, on the kernels {@code kernels} makes (one per thread): tests compare both kinds. */
  static void solve(float[] x, int n, float[] y, int w, double[] gram, Observations obs, Penalty penalty, int steps,
      java.util.function.Supplier<RowKernels> kernels) {
    float[] gramFloats = gram == null ? null : LinearSolver.toFloats(gram);
    int chunks = Math.max(1, Math.min(n, 64));
    IntStream.range(0, chunks).parallel().forEach(chunk -> {
      Solver solver = new Solver(kernels.get(), w, gramFloats, y);
      for (int r = chunk; r < n; r += chunks) {
        int from = obs.start(r);
        int to = obs.end(r);
        penalty.of(r, to - from, solver.penalty);
        solver.solve(x, r, from, to, obs, steps);
      }
    });
  }

  /** One thread's scratch space. */
  private static final class Solver {
    private final RowKernels kernels;
    private final int w;
    private final float[] gram;
    private final float[] y;
    final double[] penalty;
    private final double[] residual;
    private final double[] direction;
    private final double[] product;
    private final double[] solution;
    // The matrix-vector product runs in float (the factors are floats) over the row's columns,
    // gathered once per row rather than asked of the observations in every step.
    private final float[] vector;
    private final float[] vectorProduct;
    private final float[] gramProduct;
    private int[] columns = new int[64];
    private float[] targets = new float[64];

    Solver(RowKernels kernels, int w, float[] gram, float[] y) {
      this.kernels = kernels;
      this.w = w;
      this.gram = gram;
      this.y = y;
      this.penalty = new double[w];
      this.residual = new double[w];
      this.direction = new double[w];
      this.product = new double[w];
      this.solution = new double[w];
      this.vector = new float[w];
      this.vectorProduct = new float[w];
      this.gramProduct = new float[w];
    }

    void solve(float[] x, int row, int from, int to, Observations obs, int steps) {
      int base = row * w;
      int count = to - from;
      if (columns.length < count) {
        columns = new int[Math.max(count, columns.length * 2)];
        targets = new float[columns.length];
      }
      for (int k = from; k < to; k++) {
        columns[k - from] = obs.column(k);
        targets[k - from] = (float) obs.target(k);
      }
      for (int a = 0; a < w; a++) {
        solution[a] = x[base + a];
        vector[a] = x[base + a];
      }
      // residual = b - A x = Σ (t_k - y_k·x) y_k - G x - diag(penalty) x: the observations in one
      // pass, as every step's product is, instead of one pass for b and another for A x.
      Arrays.fill(vectorProduct, 0f);
      kernels.residual(y, columns, targets, count, vector, vectorProduct, w);
      if (gram != null) {
        kernels.multiply(gram, vector, gramProduct, w);
      }
      double rr = 0;
      for (int a = 0; a < w; a++) {
        residual[a] = vectorProduct[a] - (gram == null ? 0 : gramProduct[a]) - penalty[a] * solution[a];
        direction[a] = residual[a];
        rr += residual[a] * residual[a];
      }
      for (int s = 0; s < steps && rr > 1e-20; s++) {
        multiply(direction, count, product);
        double pAp = 0;
        for (int a = 0; a < w; a++) {
          pAp += direction[a] * product[a];
        }
        if (!(pAp > 0)) {
          break; // only when the row's matrix is singular (no penalty, no observations)
        }
        double alpha = rr / pAp;
        double next = 0;
        for (int a = 0; a < w; a++) {
          solution[a] += alpha * direction[a];
          residual[a] -= alpha * product[a];
          next += residual[a] * residual[a];
        }
        double beta = next / rr;
        for (int a = 0; a < w; a++) {
          direction[a] = residual[a] + beta * direction[a];
        }
        rr = next;
      }
      for (int a = 0; a < w; a++) {
        x[base + a] = (float) solution[a];
      }
    }

    /** out = (G + Σ y_k y_kᵀ + diag(penalty)) p over the row's {@code count} gathered columns. */
    private void multiply(double[] p, int count, double[] out) {
      for (int a = 0; a < w; a++) {
        vector[a] = (float) p[a];
      }
      if (gram != null) {
        kernels.multiply(gram, vector, vectorProduct, w);
      } else {
        Arrays.fill(vectorProduct, 0f);
      }
      kernels.accumulate(y, columns, count, vector, vectorProduct, w);
      for (int a = 0; a < w; a++) {
        out[a] = vectorProduct[a] + penalty[a] * p[a];
      }
    }
  }
}
