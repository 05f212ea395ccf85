package dev.recsys.trainer.mf;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.LinearSolver;
import dev.recsys.trainer.als.ByMovie;
import dev.recsys.trainer.als.RowSolves;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RatingMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The rating factorisation ({@code μ + b_u + b_i + ⟨p_u, q_i⟩}) fitted by Bayesian inference
 * instead of a point estimate: a Gibbs sampler in the manner of Bayesian probabilistic matrix
 * factorisation (Salakhutdinov and Mnih 2008) and libFM's MCMC engine (Rendle 2012). Each sweep draws
 * every user's {@code (p_u, b_u)} as one block from its Gaussian conditional given the movies, then
 * every movie's, then the priors (a mean and a precision per coordinate and side, Normal-Gamma
 * hyperpriors) and the noise precision. The prediction is the average over the draws after burn-in,
 * which is what removes the need to tune L2 and early stopping: every penalty is itself sampled.
 *
 * <p>Why it is servable without a new model kind: the average of {@code S} draws' dot products is
 * one dot product of the draws laid side by side, {@code (1/S) Σ_s ⟨p_u^s, q_i^s⟩ = ⟨[p_u^1..p_u^S]/√S,
 * [q_i^1..q_i^S]/√S⟩}, and biases average linearly. So the result is ordinary {@link EmbeddingTables}
 * of dimension {@code S·d}, predicted, exported and served exactly like the point estimate.
 *
 * <p>Rows are drawn in parallel; each row's random numbers come from a generator seeded by
 * (seed, sweep, side, row), so the result does not depend on the thread count.
 */
public final class GibbsMf {

  /**
   * How long the chain runs and what it keeps.
   *
   * @param dim dimension of one draw's factors
   * @param burnIn sweeps discarded before averaging starts
   * @param kept draws averaged into the result (every {@code thin}-th sweep after burn-in)
   * @param thin sweeps between kept draws
   * @param seed seeds the chain
   */
  public record Settings(int dim, int burnIn, int kept, int thin, long seed) {

    /** Widest result served ({@code kept·dim}): 2,625 ml-100k rows of it take 5 MB. */
    public static final int MAX_WIDTH = 512;

    public Settings {
      if (dim < 1 || burnIn < 0 || kept < 1 || thin < 1) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "Gibbs settings need dim >= 1, burn-in >= 0, kept >= 1 and thin >= 1, got dim %d, burn-in %d, kept %d, thin %d", dim, burnIn, kept, thin));
      }
      if ((long) dim * kept > MAX_WIDTH) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "Gibbs result width dim x kept = %d x %d exceeds %d", dim, kept, MAX_WIDTH));
      }
    }

    /** Sweeps the chain runs in all. */
    public int sweeps() {
      return burnIn + kept * thin;
    }

    /**
     * Defaults, chosen on inner validation of ml-100k (docs/rating-models.md): 6-dimensional draws, 40
     * kept, one every 5 sweeps after 40 of burn-in (240 sweeps, a served width of 240). Smaller draws
     * won (16 and 32 dimensions mixed too slowly in this many sweeps); more draws kept were a tie.
     */
    public static Settings defaults(long seed) {
      return new Settings(6, 40, 40, 5, seed);
    }
  }

  /** Hyperprior of every precision: Gamma(shape, rate), weak. */
  private static final double PRIOR_SHAPE = 1.0;
  private static final double PRIOR_RATE = 1.0;
  /** Pseudo-observations behind each prior mean's own prior (centred on 0). */
  private static final double PRIOR_MEAN_WEIGHT = 1.0;
  /** Standard deviation of the starting factors. */
  private static final double INIT_STD = 0.1;

  private GibbsMf() {}

  /**
   * Runs the chain on {@code train}; {@code validation} (may be empty) is scored with the running
   * average after each sweep past burn-in, for the curve and the reported RMSE. Nothing is chosen by it.
   */
  public static RatingMfTrainer.Result train(RatingsTable train, RatingsTable validation, Settings settings, Progress progress) {
    int d = settings.dim();
    int w = d + 1;
    int users = train.numUsers();
    int movies = train.numMovies();
    double mean = train.meanRating();
    SplittableRandom random = new SplittableRandom(settings.seed());
    // Each side as rows of [factors, bias]; the bias coordinate starts at 0.
    double[] userRows = start(users, w, random);
    double[] movieRows = start(movies, w, random);
    Prior userPrior = new Prior(w);
    Prior moviePrior = new Prior(w);
    double noisePrecision = 1.0;
    ByMovie byMovie = ByMovie.of(train);
    RowSolves.Observations byUser = RowSolves.observations(train::userStart, train::userEnd, train::movie, k -> train.rating(k) - mean);
    RowSolves.Observations byItem = RowSolves.observations(byMovie::start, byMovie::end, byMovie::user, k -> train.rating(byMovie.row(k)) - mean);
    int keptWidth = settings.kept() * d;
    float[] userOut = new float[users * keptWidth];
    float[] movieOut = new float[movies * keptWidth];
    double[] userBiasSum = new double[users];
    double[] movieBiasSum = new double[movies];
    double[] validationSum = new double[validation.size()];
    List<EpochStats> curve = new ArrayList<>();
    int kept = 0;
    double rmse = Double.NaN;
    for (int sweep = 1; sweep <= settings.sweeps(); sweep++) {
      long t0 = System.nanoTime();
      long sweepSeed = random.nextLong();
      userPrior.draw(userRows, users, new SplittableRandom(sweepSeed ^ 0x51ED27A5L));
      drawRows(userRows, users, movieRows, w, byUser, userPrior, noisePrecision, sweepSeed);
      moviePrior.draw(movieRows, movies, new SplittableRandom(sweepSeed ^ 0x2B7E1516L));
      drawRows(movieRows, movies, userRows, w, byItem, moviePrior, noisePrecision, ~sweepSeed);
      noisePrecision = drawNoisePrecision(train, userRows, movieRows, w, mean, new SplittableRandom(sweepSeed ^ 0x9E3779B9L));
      boolean keep = sweep > settings.burnIn() && (sweep - settings.burnIn()) % settings.thin() == 0;
      if (keep) {
        copyDraw(userRows, users, w, userOut, keptWidth, kept * d, userBiasSum);
        copyDraw(movieRows, movies, w, movieOut, keptWidth, kept * d, movieBiasSum);
        kept++;
        for (int k = 0; k < validation.size(); k++) {
          int u = validation.user(k);
          int i = validation.movie(k);
          validationSum[k] += mean + dot(userRows, u * w, movieRows, i * w, w - 1) + userRows[u * w + d] + movieRows[i * w + d];
        }
        rmse = validation.size() == 0 ? Double.NaN : rmse(validation, validationSum, kept);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      curve.add(new EpochStats(sweep, Double.NaN, keep ? rmse : Double.NaN, seconds));
      progress.set(sweep);
      progress.detail(String.format(Locale.ROOT, "%s noise sd %.3f (%.2fs/sweep)", keep && !Double.isNaN(rmse)
          ? String.format(Locale.ROOT, "val RMSE %.4f (%d draws)", rmse, kept) : (sweep <= settings.burnIn() ? "burn-in" : "sampling"),
          1 / Math.sqrt(noisePrecision), seconds));
      progress.printNow();
    }
    float scale = (float) (1 / Math.sqrt(kept));
    for (int i = 0; i < userOut.length; i++) {
      userOut[i] *= scale;
    }
    for (int i = 0; i < movieOut.length; i++) {
      movieOut[i] *= scale;
    }
    EmbeddingTables model = new EmbeddingTables(users, movies, keptWidth, userOut, movieOut, averaged(userBiasSum, kept),
        averaged(movieBiasSum, kept), (float) mean);
    if (validation.size() > 0) {
      rmse = RatingMetrics.of(validation, model::score).rmse();
    }
    return new RatingMfTrainer.Result(model, curve, settings.sweeps(), rmse, MfConfig.Solver.GIBBS);
  }

  private static double[] start(int rows, int w, SplittableRandom random) {
    double[] out = new double[rows * w];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < w - 1; f++) {
        out[r * w + f] = random.nextGaussian() * INIT_STD;
      }
    }
    return out;
  }

  /**
   * Draws every row from its Gaussian conditional: precision {@code Λ + τ Σ x xᵀ}, mean
   * {@code precision⁻¹ (Λ m + τ Σ x t)} where {@code x = [q_i, 1]} are the other side's rows with
   * their bias replaced by 1 and {@code t = r - μ - b_i}.
   */
  private static void drawRows(double[] rows, int n, double[] other, int w, RowSolves.Observations obs, Prior prior, double noisePrecision,
      long seed) {
    int d = w - 1;
    IntStream.range(0, n).parallel().forEach(r -> {
      double[] a = new double[w * w];
      double[] b = new double[w];
      double[] x = new double[w];
      for (int f = 0; f < w; f++) {
        a[f * w + f] = prior.precision[f];
        b[f] = prior.precision[f] * prior.mean[f];
      }
      for (int k = obs.start(r); k < obs.end(r); k++) {
        int c = obs.column(k) * w;
        System.arraycopy(other, c, x, 0, d);
        x[d] = 1;
        double t = obs.target(k) - other[c + d];
        for (int i = 0; i < w; i++) {
          double xi = noisePrecision * x[i];
          b[i] += xi * t;
          int row = i * w;
          for (int j = 0; j <= i; j++) {
            a[row + j] += xi * x[j];
          }
        }
      }
      LinearSolver.cholesky(a, w);
      double[] meanPart = LinearSolver.solveLower(a, b, w);
      SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (r + 1)));
      for (int f = 0; f < w; f++) {
        meanPart[f] += random.nextGaussian();
      }
      // L⁻ᵀ (L⁻¹ b + z) = mean + L⁻ᵀ z, a draw with covariance (L Lᵀ)⁻¹.
      double[] draw = LinearSolver.solveLowerTransposed(a, meanPart, w);
      System.arraycopy(draw, 0, rows, r * w, w);
    });
  }

  private static double drawNoisePrecision(RatingsTable train, double[] userRows, double[] movieRows, int w, double mean, SplittableRandom random) {
    int d = w - 1;
    double sse = 0;
    for (int k = 0; k < train.size(); k++) {
      int u = train.user(k) * w;
      int i = train.movie(k) * w;
      double e = train.rating(k) - mean - dot(userRows, u, movieRows, i, d) - userRows[u + d] - movieRows[i + d];
      sse += e * e;
    }
    return gamma(random, PRIOR_SHAPE + train.size() / 2.0, PRIOR_RATE + sse / 2);
  }

  private static double dot(double[] a, int ia, double[] b, int ib, int n) {
    double s = 0;
    for (int f = 0; f < n; f++) {
      s += a[ia + f] * b[ib + f];
    }
    return s;
  }

  private static void copyDraw(double[] rows, int n, int w, float[] out, int outWidth, int offset, double[] biasSum) {
    int d = w - 1;
    for (int r = 0; r < n; r++) {
      for (int f = 0; f < d; f++) {
        out[r * outWidth + offset + f] = (float) rows[r * w + f];
      }
      biasSum[r] += rows[r * w + d];
    }
  }

  private static float[] averaged(double[] sum, int count) {
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] / count);
    }
    return out;
  }

  private static double rmse(RatingsTable validation, double[] sum, int count) {
    double se = 0;
    for (int k = 0; k < sum.length; k++) {
      double p = Math.min(5.0, Math.max(0.5, sum[k] / count));
      double e = validation.rating(k) - p;
      se += e * e;
    }
    return Math.sqrt(se / sum.length);
  }

  /** Per-coordinate prior of one side: a mean and a precision, each drawn from its hyperprior. */
  private static final class Prior {
    final double[] mean;
    final double[] precision;

    Prior(int w) {
      mean = new double[w];
      precision = new double[w];
      Arrays.fill(precision, 1.0);
    }

    /** Draws each coordinate's precision, then its mean, given the rows' current values (Normal-Gamma conjugacy). */
    void draw(double[] rows, int n, SplittableRandom random) {
      int w = mean.length;
      for (int f = 0; f < w; f++) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
          sum += rows[r * w + f];
        }
        double spread = 0;
        for (int r = 0; r < n; r++) {
          double e = rows[r * w + f] - mean[f];
          spread += e * e;
        }
        precision[f] = gamma(random, PRIOR_SHAPE + (n + 1) / 2.0, PRIOR_RATE + (spread + PRIOR_MEAN_WEIGHT * mean[f] * mean[f]) / 2);
        double weight = n + PRIOR_MEAN_WEIGHT;
        mean[f] = sum / weight + random.nextGaussian() / Math.sqrt(weight * precision[f]);
      }
    }
  }

  /** A Gamma(shape, rate) draw for shape >= 1 (Marsaglia and Tsang 2000). */
  static double gamma(SplittableRandom random, double shape, double rate) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = random.nextGaussian();
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v / rate;
      }
    }
  }
}
