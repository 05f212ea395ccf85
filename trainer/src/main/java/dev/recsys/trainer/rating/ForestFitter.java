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
   */
  public record Config(int trees, int maxDepth, int maxNodes, int nodeSize, double subsample, long seed) {
    public static Config defaults(long seed) {
      return new Config(100, 20, 2000, 20, 1.0, seed);
    }
  }

  private ForestFitter() {}

  public static RandomForest fit(HybridFeatures features, RatingsTable rows, Config config) {
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
