package dev.recsys.trainer.neighbors;

import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.models.scoring.TopK;
import dev.recsys.trainer.data.RatingsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Item-item similarities from co-ratings: the cosine of two movies' rating residuals (rating minus a
 * baseline prediction; with the bias baseline this is the "Pearson-baseline" similarity), taken over
 * the users who rated both, shrunk by {@code (n - 1) / (n - 1 + shrinkage)} for {@code n} common
 * raters so that a similarity resting on two users does not outrank one resting on two hundred. The
 * top {@code k} per movie are kept.
 *
 * <p>With {@link Similarity#COSINE_IMPLICIT} ratings count only as "rated" and the norms are taken
 * over all raters of each movie: the classic "people who rated this also rated" cosine.
 *
 * <p>Cost is the sum over users of (ratings per user) squared; movies are processed in parallel.
 */
public final class NeighborBuilder {

  /** How two movies' ratings are compared. */
  public enum Similarity {
    /** Cosine of rating residuals over the common raters (Pearson-baseline with the bias baseline). */
    PEARSON_BASELINE,
    /** Cosine of the binary "rated" vectors: common raters over the root of the product of raters. */
    COSINE_IMPLICIT,
    /**
     * Co-occurrence with a popularity correction: common raters over {@code n_i^(1-β) · n_j^β} for a
     * query {@code i} and a neighbour {@code j} (Aiolli's asymmetric cosine); β above one half
     * penalises popular neighbours, so a sequel rated by the same few hundred people outranks a
     * blockbuster that everybody rated.
     */
    ASYMMETRIC_COSINE
  }

  /**
   * @param similarity how movies are compared
   * @param k neighbours kept per movie
   * @param shrinkage pseudo-count of the shrinkage
   * @param minCommon fewest common raters for a pair to count
   * @param threads worker threads
   * @param neighborExponent β of {@link Similarity#ASYMMETRIC_COSINE}
   */
  public record Config(Similarity similarity, int k, double shrinkage, int minCommon, int threads, double neighborExponent) {
    public Config {
      if (!(neighborExponent >= 0 && neighborExponent <= 1)) {
        throw new IllegalArgumentException("the neighbour exponent must be in [0, 1], got " + neighborExponent);
      }
    }

    public static Config defaults(int k) {
      return new Config(Similarity.PEARSON_BASELINE, k, 100, 2, Math.max(1, Runtime.getRuntime().availableProcessors()), 0.5);
    }

    public Config with(Similarity s, double newShrinkage) {
      return new Config(s, k, newShrinkage, minCommon, threads, neighborExponent);
    }

    /** Asymmetric cosine with exponent {@code beta} and the given shrinkage. */
    public Config asymmetric(double beta, double newShrinkage) {
      return new Config(Similarity.ASYMMETRIC_COSINE, k, newShrinkage, minCommon, threads, beta);
    }
  }

  private NeighborBuilder() {}

  /**
   * @param residualBase what is subtracted from each rating before comparing (a zero predictor gives
   *     plain cosine on ratings)
   */
  public static ItemNeighbors build(RatingsTable ratings, RatingPredictor residualBase, Config config) {
    return build(ratings, residualBase, config, dev.recsys.models.console.Progress.silent("neighbours"));
  }

  /** As {@link #build(RatingsTable, RatingPredictor, Config)}, counting finished movies on {@code progress}. */
  public static ItemNeighbors build(RatingsTable ratings, RatingPredictor residualBase, Config config, dev.recsys.models.console.Progress progress) {
    return buildAll(ratings, residualBase, List.of(config), progress).getFirst();
  }

  /**
   * Several tables from one pass over the co-ratings: every similarity here is a function of the
   * same per-pair sums (common raters, and the residuals' products and squares), so building them
   * together costs one accumulation instead of one each (the cost that grows as the sum over users
   * of their ratings squared). Each table is the one {@link #build} gives for its config, exactly.
   * The pass runs on the first config's thread count.
   *
   * @param residualBase what {@link Similarity#PEARSON_BASELINE} subtracts from each rating
   * @return one table per config, in order
   */
  public static List<ItemNeighbors> buildAll(RatingsTable ratings, RatingPredictor residualBase, List<Config> configs,
      dev.recsys.models.console.Progress progress) {
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("no neighbour table asked for");
    }
    int items = ratings.numMovies();
    int n = ratings.size();
    int threads = configs.getFirst().threads();
    float[] residual = new float[n];
    boolean residuals = configs.stream().anyMatch(c -> c.similarity() == Similarity.PEARSON_BASELINE);
    for (int r = 0; r < n; r++) {
      residual[r] = residuals ? ratings.rating(r) - residualBase.predict(ratings.user(r), ratings.movie(r)) : 1f;
    }
    // Movie -> (user, residual) lists by counting sort, users ascending within a movie.
    int[] itemStart = new int[items + 1];
    for (int r = 0; r < n; r++) {
      itemStart[ratings.movie(r) + 1]++;
    }
    for (int i = 0; i < items; i++) {
      itemStart[i + 1] += itemStart[i];
    }
    int[] itemUsers = new int[n];
    float[] itemResiduals = new float[n];
    int[] fill = Arrays.copyOf(itemStart, items);
    for (int r = 0; r < n; r++) {
      int slot = fill[ratings.movie(r)]++;
      itemUsers[slot] = ratings.user(r);
      itemResiduals[slot] = residual[r];
    }
    int[][][] topItems = new int[configs.size()][items][];
    float[][][] topSims = new float[configs.size()][items][];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Future<?>[] parts = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int part = t;
        parts[t] =
            pool.submit(
                () -> {
                  Accumulator acc = new Accumulator(items);
                  int done = 0;
                  for (int i = part; i < items; i += threads) {
                    acc.similaritiesOf(i, ratings, residual, itemStart, itemUsers, itemResiduals, configs, topItems, topSims);
                    if (++done == 256) {
                      progress.advance(done);
                      done = 0;
                    }
                  }
                  progress.advance(done);
                });
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("neighbour computation failed", e.getCause());
    } finally {
      pool.shutdown();
    }
    List<ItemNeighbors> tables = new ArrayList<>();
    for (int c = 0; c < configs.size(); c++) {
      tables.add(table(topItems[c], topSims[c]));
    }
    return tables;
  }

  private static ItemNeighbors table(int[][] topItems, float[][] topSims) {
    int items = topItems.length;
    int[] offsets = new int[items + 1];
    for (int i = 0; i < items; i++) {
      offsets[i + 1] = offsets[i] + topItems[i].length;
    }
    int[] neighbors = new int[offsets[items]];
    float[] sims = new float[offsets[items]];
    for (int i = 0; i < items; i++) {
      System.arraycopy(topItems[i], 0, neighbors, offsets[i], topItems[i].length);
      System.arraycopy(topSims[i], 0, sims, offsets[i], topSims[i].length);
    }
    return new ItemNeighbors(offsets, neighbors, sims);
  }

  /** Per-thread dense accumulators over all movies, reset after each movie. */
  private static final class Accumulator {
    final double[] dot;
    final double[] sqA;
    final double[] sqB;
    final int[] common;
    final int[] touched;
    /** Similarity of each candidate of the current movie; minus infinity elsewhere. */
    final float[] score;

    Accumulator(int items) {
      score = new float[items];
      Arrays.fill(score, Float.NEGATIVE_INFINITY);
      dot = new double[items];
      sqA = new double[items];
      sqB = new double[items];
      common = new int[items];
      touched = new int[items];
    }

    void similaritiesOf(int i, RatingsTable ratings, float[] residual, int[] itemStart, int[] itemUsers,
        float[] itemResiduals, List<Config> configs, int[][][] topItems, float[][][] topSims) {
      int touchedCount = 0;
      for (int a = itemStart[i]; a < itemStart[i + 1]; a++) {
        int u = itemUsers[a];
        double ei = itemResiduals[a];
        for (int r = ratings.userStart(u); r < ratings.userEnd(u); r++) {
          int j = ratings.movie(r);
          if (j == i) {
            continue;
          }
          if (common[j] == 0) {
            touched[touchedCount++] = j;
          }
          double ej = residual[r];
          dot[j] += ei * ej;
          sqA[j] += ei * ei;
          sqB[j] += ej * ej;
          common[j]++;
        }
      }
      for (int c = 0; c < configs.size(); c++) {
        Config config = configs.get(c);
        for (int t = 0; t < touchedCount; t++) {
          int j = touched[t];
          int count = common[j];
          // The implicit similarities compare "rated" vectors: their product sum is the count.
          double numerator = config.similarity() == Similarity.PEARSON_BASELINE ? dot[j] : count;
          double denom = switch (config.similarity()) {
            case COSINE_IMPLICIT -> Math.sqrt((double) (itemStart[i + 1] - itemStart[i]) * (itemStart[j + 1] - itemStart[j]));
            case ASYMMETRIC_COSINE -> Math.pow(itemStart[i + 1] - itemStart[i], 1 - config.neighborExponent())
                * Math.pow(itemStart[j + 1] - itemStart[j], config.neighborExponent());
            case PEARSON_BASELINE -> Math.sqrt(sqA[j] * sqB[j]);
          };
          if (count >= config.minCommon() && denom > 0) {
            score[j] = (float) (numerator / denom * (count - 1) / (count - 1 + config.shrinkage()));
          }
        }
        // Highest similarity first, ties to the lower movie index (deterministic), by a bounded heap:
        // O(candidates · log k), where sorting every candidate cost O(candidates · log candidates)
        // per movie and dominated at tens of thousands of movies.
        int[] top = TopK.select(score, score.length, config.k(), TopK.Filter.ALL);
        topItems[c][i] = top;
        topSims[c][i] = new float[top.length];
        for (int t = 0; t < top.length; t++) {
          topSims[c][i][t] = score[top[t]];
        }
        for (int t = 0; t < touchedCount; t++) {
          score[touched[t]] = Float.NEGATIVE_INFINITY;
        }
      }
      for (int t = 0; t < touchedCount; t++) {
        int j = touched[t];
        dot[j] = 0;
        sqA[j] = 0;
        sqB[j] = 0;
        common[j] = 0;
      }
    }
  }
}
