package dev.recsys.trainer.mf;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.als.ByMovie;
import dev.recsys.trainer.als.RowSolves;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RatingMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The rating factorisation's objective solved by alternating least squares instead of Adam: the same
 * biased model ({@code μ + b_u + b_i + ⟨p_u, q_i⟩}) and the same loss, squared error plus
 * {@code l2·|p_u|² + l2·|q_i|² + biasL2·(b_u² + b_i²)} for every rating (so a row's penalty grows
 * with its ratings, as in ALS-WR, Zhou et al. 2008). Each half-iteration solves every user's
 * {@code (p_u, b_u)} with the movies fixed, then every movie's {@code (q_i, b_i)}, by a few
 * conjugate-gradient steps ({@link RowSolves}): a bounded amount of work per rating, in parallel, and
 * no learning rate. Early stopping on validation RMSE, best iteration kept.
 */
public final class ExplicitAls {

  /** Conjugate-gradient steps per row solve, warm-started from the previous iteration's row. */
  static final int CG_STEPS = 4;
  /** Iterations without a better validation RMSE before stopping (ALS moves in large steps). */
  static final int PATIENCE = 2;
  /**
   * Most iterations. ALS takes its large steps first: on the 25M synthetic set validation RMSE was
   * 0.8272 after 10 iterations and 0.8263 after 34 (17 s each), still creeping down by less than
   * the early-stopping tolerance would notice; at 1M and 5M it stopped by itself after 14 and 21.
   */
  static final int MAX_ITERATIONS = 25;
  /**
   * An iteration counts as better only when it lowers validation RMSE by this share: the 0.1% that
   * 24 iterations gained on the 25M set (see above) is far inside the spread between seeds and
   * folds, and cost 6 minutes.
   */
  static final double RELATIVE_TOLERANCE = 5e-4;

  private ExplicitAls() {}

  /** Trains from a seeded random start; {@code validation} drives early stopping (empty: run every iteration). */
  public static RatingMfTrainer.Result train(RatingsTable train, RatingsTable validation, MfConfig config, Progress progress) {
    SplittableRandom random = new SplittableRandom(config.seed());
    int d = config.dim();
    float[] p = new float[train.numUsers() * d];
    float[] q = new float[train.numMovies() * d];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (random.nextGaussian() * config.initStd());
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) (random.nextGaussian() * config.initStd());
    }
    EmbeddingTables start = new EmbeddingTables(train.numUsers(), train.numMovies(), d, p, q, new float[train.numUsers()],
        new float[train.numMovies()], (float) train.meanRating());
    return run(start, train, validation, config, Math.min(MAX_ITERATIONS, config.maxEpochs()), Math.min(PATIENCE, config.patience()), progress);
  }

  /** Continues from {@code model} on {@code train} for {@code iterations} (no validation); the global mean is kept. */
  public static RatingMfTrainer.Result fineTune(EmbeddingTables model, RatingsTable train, MfConfig config, int iterations, Progress progress) {
    return run(model, train, train.subset(new int[0]), config, iterations, Integer.MAX_VALUE, progress);
  }

  private static RatingMfTrainer.Result run(EmbeddingTables start, RatingsTable train, RatingsTable validation, MfConfig config,
      int maxIterations, int patience, Progress progress) {
    int d = start.dim();
    int w = d + 1;
    int users = start.users();
    int movies = start.items();
    float mean = start.globalBias();
    // Each side as rows of [embedding, bias].
    float[] userRows = augmented(start.userEmbeddings(), start.userBiases(), users, d);
    float[] movieRows = augmented(start.itemEmbeddings(), start.itemBiases(), movies, d);
    ByMovie byMovie = ByMovie.of(train);
    RowSolves.Penalty penalty = (row, count, out) -> {
      java.util.Arrays.fill(out, 0, d, config.l2() * (double) count);
      out[d] = config.biasL2() * (double) count;
    };
    List<EpochStats> curve = new ArrayList<>();
    EmbeddingTables best = null;
    double bestRmse = Double.POSITIVE_INFINITY;
    int bestIteration = 0;
    // Patience counts from the last iteration that improved by the tolerance; the best snapshot
    // is kept whatever the size of its gain.
    double markRmse = Double.POSITIVE_INFINITY;
    int markIteration = 0;
    for (int it = 1; it <= maxIterations; it++) {
      long t0 = System.nanoTime();
      // Users, with each movie's features [q_i, 1] and targets r - μ - b_i.
      float[] movieFeatures = features(movieRows, movies, d);
      float[] fixedMovieRows = movieRows;
      RowSolves.solve(userRows, users, movieFeatures, w, null, RowSolves.observations(train::userStart, train::userEnd, train::movie,
          k -> train.rating(k) - mean - fixedMovieRows[train.movie(k) * w + d]), penalty, CG_STEPS);
      // Movies, with each user's features [p_u, 1] and targets r - μ - b_u.
      float[] userFeatures = features(userRows, users, d);
      float[] fixedUserRows = userRows;
      RowSolves.solve(movieRows, movies, userFeatures, w, null, RowSolves.observations(byMovie::start, byMovie::end, byMovie::user,
          k -> train.rating(byMovie.row(k)) - mean - fixedUserRows[byMovie.user(k) * w + d]), penalty, CG_STEPS);
      EmbeddingTables snapshot = tables(userRows, movieRows, users, movies, d, mean);
      double rmse = validation.size() == 0 ? Double.NaN : RatingMetrics.of(validation, snapshot::score).rmse();
      double seconds = (System.nanoTime() - t0) / 1e9;
      curve.add(new EpochStats(it, Double.NaN, rmse, seconds));
      progress.set(it);
      progress.detail((Double.isNaN(rmse) ? "" : String.format(Locale.ROOT, "val RMSE %.4f  ", rmse)) + String.format(Locale.ROOT, "(%.1fs/iteration)", seconds));
      progress.printNow();
      if (Double.isNaN(rmse) || rmse < bestRmse) {
        bestRmse = Double.isNaN(rmse) ? bestRmse : rmse;
        best = snapshot;
        bestIteration = it;
      }
      if (Double.isNaN(rmse) || rmse < markRmse * (1 - RELATIVE_TOLERANCE)) {
        markRmse = Double.isNaN(rmse) ? markRmse : rmse;
        markIteration = it;
      } else if (it - markIteration >= patience) {
        break;
      }
    }
    return new RatingMfTrainer.Result(best, curve, bestIteration, bestRmse, MfConfig.Solver.ALS);
  }

  private static float[] augmented(float[] embedding, float[] bias, int rows, int d) {
    float[] out = new float[rows * (d + 1)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(embedding, r * d, out, r * (d + 1), d);
      out[r * (d + 1) + d] = bias[r];
    }
    return out;
  }

  /** Rows [embedding, 1]: what the other side's solve multiplies by. */
  private static float[] features(float[] rows, int n, int d) {
    float[] out = rows.clone();
    for (int r = 0; r < n; r++) {
      out[r * (d + 1) + d] = 1f;
    }
    return out;
  }

  private static EmbeddingTables tables(float[] userRows, float[] movieRows, int users, int movies, int d, float mean) {
    float[] p = new float[users * d];
    float[] bu = new float[users];
    float[] q = new float[movies * d];
    float[] bi = new float[movies];
    for (int u = 0; u < users; u++) {
      System.arraycopy(userRows, u * (d + 1), p, u * d, d);
      bu[u] = userRows[u * (d + 1) + d];
    }
    for (int i = 0; i < movies; i++) {
      System.arraycopy(movieRows, i * (d + 1), q, i * d, d);
      bi[i] = movieRows[i * (d + 1) + d];
    }
    return new EmbeddingTables(users, movies, d, p, q, bu, bi, mean);
  }
}
