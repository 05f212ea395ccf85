package dev.recsys.trainer.rating;

import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.trainer.data.RatingsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.RandomForest;

/**
 * Fits the Random Forest of the hybrid (Smile) on the features of a set of ratings that the collaborative
 * models did not train on (stacking), so the forest learns how far to trust each of them.
 */
public final class ForestFitter {

  /**
   * @param trees number of trees
   * @param maxDepth deepest a tree may grow
   * @param maxNodes most leaves a tree may have
   * @param nodeSize fewest ratings in a leaf
   * @param subsample share of rows each tree samples (with replacement when 1)
   * @param seed random seed (one derived seed per tree: reproducible whatever the thread count)
   * @param maxRows most ratings the forest learns from: above it, a seeded sample of this size (the
   *     forest's cost and its feature matrix grow with its rows, and a few hundred thousand rows are
   *     plenty for 40 features; ml-100k and ml-latest-small stay below it)
   */
  public record Config(int trees, int maxDepth, int maxNodes, int nodeSize, double subsample, long seed, int maxRows) {
    public Config {
      if (trees < 1 || maxDepth < 1 || maxNodes < 2 || nodeSize < 1 || !(subsample > 0 && subsample <= 1) || maxRows < 1) {
        throw new IllegalArgumentException("invalid forest settings: " + this);
      }
    }

    public static Config defaults(long seed) {
      return new Config(100, 20, 2000, 20, 1.0, seed, DEFAULT_MAX_ROWS);
    }

    public Config withTrees(int n) {
      return new Config(n, maxDepth, maxNodes, nodeSize, subsample, seed, maxRows);
    }
  }

  /** Default {@link Config#maxRows()}. */
  public static final int DEFAULT_MAX_ROWS = 100_000;

  private ForestFitter() {}

  public static RandomForest fit(HybridFeatures features, RatingsTable all, Config config) {
    RatingsTable rows = dev.recsys.trainer.evaluation.Splits.sample(all, config.maxRows(), config.seed() + 17);
    List<String> names = new ArrayList<>(features.names());
    int p = names.size();
    double[][] matrix = new double[rows.size()][p + 1];
    double[] buffer = new double[p];
    for (int r = 0; r < rows.size(); r++) {
      features.fill(rows.user(r), rows.movie(r), buffer);
      System.arraycopy(buffer, 0, matrix[r], 0, p);
      matrix[r][p] = rows.rating(r);
    }
    names.add(ForestModel.TARGET);
    DataFrame frame = DataFrame.of(matrix, names.toArray(String[]::new));
    SplittableRandom random = new SplittableRandom(config.seed());
    long[] seeds = new long[config.trees()];
    for (int t = 0; t < seeds.length; t++) {
      seeds[t] = random.nextLong();
    }
    RandomForest.Options options =
        new RandomForest.Options(
            config.trees(), Math.max(1, p / 3), config.maxDepth(), config.maxNodes(), config.nodeSize(),
            config.subsample(), seeds, null);
    return RandomForest.fit(Formula.lhs(ForestModel.TARGET), frame, options);
  }
}
