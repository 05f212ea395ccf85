package dev.recsys.trainer.topn;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.LinearSolver;
import dev.recsys.trainer.als.ByMovie;
import dev.recsys.trainer.als.RowSolves;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.mf.EpochStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

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
    SplittableRandom random = new SplittableRandom(config.seed());
    double std = config.initStd() / Math.sqrt(config.dim());
    float[] w = gaussian(train.numUsers() * config.dim(), std, random);
    float[] h = gaussian(train.numMovies() * config.dim(), std, random);
    return run(train, config, validationLoss, progress, w, h);
  }

  /**
   * Continues from {@code start} (factors over the same index spaces, e.g. fitted on part of
   * {@code train}) for {@code config.maxIterations()} iterations on {@code train}: a few iterations
   * from a nearby optimum replace a whole fit from random factors.
   */
  public static Result fitFrom(EmbeddingTables start, RatingsTable train, Config config, Progress progress) {
    if (start.dim() != config.dim() || start.users() != train.numUsers() || start.items() != train.numMovies()) {
      throw new IllegalArgumentException("the starting factors (" + start.users() + " x " + start.items() + ", dim " + start.dim()
          + ") do not match the data (" + train.numUsers() + " x " + train.numMovies() + ", dim " + config.dim() + ")");
    }
    return run(train, config, null, progress, start.userEmbeddings().clone(), start.itemEmbeddings().clone());
  }

  private static Result run(RatingsTable train, Config config, ToDoubleFunction<EmbeddingTables> validationLoss, Progress progress,
      float[] w, float[] h) {
    int users = train.numUsers();
    int items = train.numMovies();
    int d = config.dim();
    // Targets 1 on every rated pair (the unrated ones are in the Gram term).
    RowSolves.Observations userSide = RowSolves.observations(train::userStart, train::userEnd, train::movie, k -> 1);
    ByMovie byMovie = ByMovie.of(train);
    RowSolves.Observations movieSide = RowSolves.observations(byMovie::start, byMovie::end, byMovie::user, k -> 1);
    List<EpochStats> curve = new ArrayList<>();
    float[] bestW = null;
    float[] bestH = null;
    double best = Double.POSITIVE_INFINITY;
    int bestIteration = 0;
    for (int it = 1; it <= config.maxIterations(); it++) {
      long start = System.nanoTime();
      solveSide(w, users, h, items, userSide, config);
      solveSide(h, items, w, users, movieSide, config);
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

  /**
   * Solves every row of {@code x} (n rows) against the fixed factors {@code y} (m rows): targets 1
   * on the observed columns, the weighted Gram matrix of all of {@code y} for the unobserved ones.
   */
  private static void solveSide(float[] x, int n, float[] y, int m, RowSolves.Observations observed, Config c) {
    double[] gram = LinearSolver.gram(y, m, c.dim(), c.unobservedWeight());
    RowSolves.solve(x, n, y, c.dim(), gram, observed,
        (row, count, out) -> java.util.Arrays.fill(out, c.l2() * Math.pow(count + c.unobservedWeight() * m, c.frequencyScaling())),
        c.cgSteps());
  }

  private static float[] gaussian(int n, double std, SplittableRandom random) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * std);
    }
    return out;
  }
}
