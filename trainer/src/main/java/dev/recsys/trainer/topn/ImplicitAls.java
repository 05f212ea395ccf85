package dev.recsys.trainer.topn;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.segments.ImplicitSpace;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.mf.EpochStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Implicit alternating least squares in the form of Rendle et al. 2021 ("Revisiting the performance
 * of iALS on item recommendation benchmarks"), after Hu, Koren and Volinsky 2008: minimises
 * <pre>
 *   sum over rated (u,i) of (⟨w_u, h_i⟩ - 1)²  +  α₀ · sum over all (u,i) of ⟨w_u, h_i⟩²
 *     + λ · (sum_u (n_u + α₀·I)^ν |w_u|² + sum_i (n_i + α₀·U)^ν |h_i|²)
 * </pre>
 * by alternating exact-in-expectation row solves. Each row solve is a few conjugate-gradient steps
 * on {@code (α₀ G + Σ_{i∈I_u} h_i h_iᵀ + λ_u I) w_u = Σ_{i∈I_u} h_i}, warm-started from the current
 * row, where the Gram matrix {@code G = HᵀH} of the other side is computed once per half-iteration:
 * so each step costs {@code O(d²)} per row plus {@code O(d)} per rating, never per user x movie.
 * Rows are solved in parallel. Scores are plain dot products, so the result is an
 * {@link EmbeddingTables} with zero biases that the serving kernel and TorchScript export take as is.
 */
public final class ImplicitAls {

  /**
   * @param dim factors per user and movie
   * @param unobservedWeight α₀, the weight of every unrated (user, movie) pair towards score 0
   * @param l2 λ
   * @param frequencyScaling ν, how the penalty grows with a row's support (0: constant, 1: linear)
   * @param maxIterations most alternations; early stopping (when a validation metric is given) may stop sooner
   * @param patience iterations without a better validation metric before stopping
   * @param cgSteps conjugate-gradient steps per row solve (d steps solve exactly)
   * @param initStd standard deviation of the initial factors, divided by √d
   * @param seed random seed of the initial factors
   */
  public record Config(int dim, double unobservedWeight, double l2, double frequencyScaling, int maxIterations, int patience,
      int cgSteps, double initStd, long seed) {
    public Config {
      if (dim < 1 || maxIterations < 1 || patience < 1 || cgSteps < 1) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "iALS dim, iterations, patience and CG steps must be >= 1, got %d, %d, %d, %d", dim, maxIterations, patience, cgSteps));
      }
      if (!(unobservedWeight > 0) || !(l2 > 0) || !(frequencyScaling >= 0) || !(initStd > 0)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "iALS unobserved weight, l2 and init std must be > 0 and frequency scaling >= 0, got %s, %s, %s, %s",
            unobservedWeight, l2, initStd, frequencyScaling));
      }
    }

    public static Config defaults(long seed) {
      return new Config(64, 0.1, 0.01, 1.0, 16, 2, 4, 0.1, seed);
    }

    public Config with(int newDim, double newUnobserved, double newL2, int iterations) {
      return new Config(newDim, newUnobserved, newL2, frequencyScaling, iterations, patience, cgSteps, initStd, seed);
    }
  }

  /**
   * @param model the factors of the best iteration
   * @param curve one entry per iteration (the training loss is not computed: NaN)
   * @param bestIteration 1-based iteration whose factors are returned
   */
  public record Result(EmbeddingTables model, List<EpochStats> curve, int bestIteration, double bestValidation) {}

  private ImplicitAls() {}

  /**
   * Fits the factors.
   *
   * @param validationLoss lower-is-better metric of a snapshot (e.g. minus validation NDCG), or null
   *     to run all {@code maxIterations}
   */
  public static Result fit(RatingsTable train, Config config, ToDoubleFunction<EmbeddingTables> validationLoss, Progress progress) {
    int users = train.numUsers();
    int items = train.numMovies();
    int d = config.dim();
    Transposed byMovie = Transposed.of(train);
    SplittableRandom random = new SplittableRandom(config.seed());
    double std = config.initStd() / Math.sqrt(d);
    float[] w = gaussian(users * d, std, random);
    float[] h = gaussian(items * d, std, random);
    List<EpochStats> curve = new ArrayList<>();
    float[] bestW = null;
    float[] bestH = null;
    double best = Double.POSITIVE_INFINITY;
    int bestIteration = 0;
    for (int it = 1; it <= config.maxIterations(); it++) {
      long start = System.nanoTime();
      solveSide(w, users, h, items, train::userStart, train::userEnd, train::movie, config);
      solveSide(h, items, w, users, byMovie::start, byMovie::end, byMovie::user, config);
      double metric = Double.NaN;
      EmbeddingTables snapshot = tables(users, items, d, w, h);
      if (validationLoss != null) {
        metric = validationLoss.applyAsDouble(snapshot);
      }
      curve.add(new EpochStats(it, Double.NaN, metric, (System.nanoTime() - start) / 1e9));
      progress.advance(1);
      if (validationLoss == null || metric < best) {
        best = metric;
        bestIteration = it;
        bestW = w.clone();
        bestH = h.clone();
        progress.detail(validationLoss == null ? "" : String.format(Locale.ROOT, "best validation %.4f at %d", -metric, it));
      } else if (it - bestIteration >= config.patience()) {
        break;
      }
    }
    return new Result(tables(users, items, d, bestW, bestH), curve, bestIteration, best);
  }

  private static EmbeddingTables tables(int users, int items, int d, float[] w, float[] h) {
    return new EmbeddingTables(users, items, d, w.clone(), h.clone(), new float[users], new float[items], 0f);
  }

  /** Row ranges and columns of a sparse side. */
  private interface IntFn {
    int at(int i);
  }

  /**
   * Solves every row of {@code x} (n rows) against the fixed factors {@code y} (m rows), where row
   * {@code r}'s observed columns are {@code col(k)} for {@code k} in {@code [start(r), end(r))}.
   */
  private static void solveSide(float[] x, int n, float[] y, int m, IntFn start, IntFn end, IntFn col, Config c) {
    int d = c.dim();
    double[] gram = ImplicitSpace.scaledGram(y, m, d, c.unobservedWeight());
    int chunks = Math.max(1, Math.min(n, 64));
    IntStream.range(0, chunks).parallel().forEach(chunk -> {
      RowSolver solver = new RowSolver(d, gram, y);
      for (int r = chunk; r < n; r += chunks) {
        int from = start.at(r);
        int to = end.at(r);
        double penalty = c.l2() * Math.pow(to - from + c.unobservedWeight() * m, c.frequencyScaling());
        solver.solve(x, r, from, to, col, penalty, c.cgSteps());
      }
    });
  }

  /** Conjugate gradient on one row's normal equations; scratch arrays reused across rows. */
  private static final class RowSolver {
    private final int d;
    private final double[] gram;
    private final float[] y;
    private final double[] residual;
    private final double[] direction;
    private final double[] product;
    private final double[] solution;

    RowSolver(int d, double[] gram, float[] y) {
      this.d = d;
      this.gram = gram;
      this.y = y;
      this.residual = new double[d];
      this.direction = new double[d];
      this.product = new double[d];
      this.solution = new double[d];
    }

    void solve(float[] x, int row, int from, int to, IntFn col, double penalty, int steps) {
      int base = row * d;
      for (int a = 0; a < d; a++) {
        solution[a] = x[base + a];
      }
      // residual = b - A x, with b = sum of observed y rows.
      multiply(solution, from, to, col, penalty, product);
      java.util.Arrays.fill(residual, 0);
      for (int k = from; k < to; k++) {
        int yb = col.at(k) * d;
        for (int a = 0; a < d; a++) {
          residual[a] += y[yb + a];
        }
      }
      double rr = 0;
      for (int a = 0; a < d; a++) {
        residual[a] -= product[a];
        direction[a] = residual[a];
        rr += residual[a] * residual[a];
      }
      for (int s = 0; s < steps && rr > 1e-20; s++) {
        multiply(direction, from, to, col, penalty, product);
        double pAp = 0;
        for (int a = 0; a < d; a++) {
          pAp += direction[a] * product[a];
        }
        double alpha = rr / pAp;
        double next = 0;
        for (int a = 0; a < d; a++) {
          solution[a] += alpha * direction[a];
          residual[a] -= alpha * product[a];
          next += residual[a] * residual[a];
        }
        double beta = next / rr;
        for (int a = 0; a < d; a++) {
          direction[a] = residual[a] + beta * direction[a];
        }
        rr = next;
      }
      for (int a = 0; a < d; a++) {
        x[base + a] = (float) solution[a];
      }
    }

    /** out = (α₀G + Σ y_k y_kᵀ + penalty·I) p. */
    private void multiply(double[] p, int from, int to, IntFn col, double penalty, double[] out) {
      for (int a = 0; a < d; a++) {
        double s = penalty * p[a];
        int row = a * d;
        for (int b = 0; b < d; b++) {
          s += gram[row + b] * p[b];
        }
        out[a] = s;
      }
      for (int k = from; k < to; k++) {
        int yb = col.at(k) * d;
        double dot = 0;
        for (int a = 0; a < d; a++) {
          dot += y[yb + a] * p[a];
        }
        for (int a = 0; a < d; a++) {
          out[a] += dot * y[yb + a];
        }
      }
    }
  }

  /** The ratings grouped by movie (users ascending), for the movie half-iteration. */
  private record Transposed(int[] starts, int[] users) {
    static Transposed of(RatingsTable t) {
      int[] starts = new int[t.numMovies() + 1];
      for (int r = 0; r < t.size(); r++) {
        starts[t.movie(r) + 1]++;
      }
      for (int m = 0; m < t.numMovies(); m++) {
        starts[m + 1] += starts[m];
      }
      int[] fill = java.util.Arrays.copyOf(starts, t.numMovies());
      int[] users = new int[t.size()];
      for (int r = 0; r < t.size(); r++) {
        users[fill[t.movie(r)]++] = t.user(r);
      }
      return new Transposed(starts, users);
    }

    int start(int m) {
      return starts[m];
    }

    int end(int m) {
      return starts[m + 1];
    }

    int user(int k) {
      return users[k];
    }
  }

  private static float[] gaussian(int n, double std, SplittableRandom random) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * std);
    }
    return out;
  }
}
