package dev.recsys.trainer.rating;

import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.mf.EpochStats;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.math.MathEx;
import smile.regression.RandomForest;
import smile.regression.RegressionTree;
import smile.validation.RegressionMetrics;

/**
 * Fits the Random Forest of the hybrid (Smile) on the features of a set of ratings that the collaborative
 * models did not train on (stacking), so the forest learns how far to trust each of them.
 */
public final class ForestFitter {

  /**
   * @param trees number of trees, or {@link #AUTO_TREES} for as many as {@link #treesFor} gives the rows
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
      if (trees < 0 || maxDepth < 1 || maxNodes < 2 || nodeSize < 1 || !(subsample > 0 && subsample <= 1) || maxRows < 1) {
        throw new IllegalArgumentException("invalid forest settings: " + this);
      }
    }

    public static Config defaults(long seed) {
      return new Config(AUTO_TREES, 20, 2000, 20, 1.0, seed, DEFAULT_MAX_ROWS);
    }

    public Config withTrees(int n) {
      return new Config(n, maxDepth, maxNodes, nodeSize, subsample, seed, maxRows);
    }

    public Config withMaxRows(int rows) {
      return new Config(trees, maxDepth, maxNodes, nodeSize, subsample, seed, rows);
    }

    /** The trees grown for a training set of {@code ratings} rows (before the {@link #maxRows()} cap). */
    public int treesFor(int ratings) {
      if (trees != AUTO_TREES) {
        return trees;
      }
      long rows = Math.max(1, Math.min(ratings, maxRows));
      return (int) Math.max(MIN_AUTO_TREES, Math.min(MAX_AUTO_TREES, TREE_ROW_BUDGET / rows));
    }
  }

  /**
   * Default {@link Config#maxRows()}. 60,000 was tried (2026-11-30, synthetic sets, one run each):
   * at the ml-1m shape it cut the forest from 27.8 s to 18.1 s for an out-of-bag RMSE of 0.8258
   * against 0.8254, a tie, but at 5M ratings the selected forest's validation RMSE rose from 0.8240
   * to 0.8274, outside the fold-to-fold spread there (±0.0005), so the default stays at 100,000.
   * ml-100k and ml-latest-small stay below either.
   */
  public static final int DEFAULT_MAX_ROWS = 100_000;

  /** {@link Config#trees()} that asks for {@link Config#treesFor}'s rule. */
  public static final int AUTO_TREES = 0;

  /**
   * The automatic tree count: {@link #MAX_AUTO_TREES} while trees times rows stay within {@link
   * #TREE_ROW_BUDGET}, fewer above, never under {@link #MIN_AUTO_TREES}. Chosen on 2026-11-30 from
   * the out-of-bag curves ({@link Grown#curve()}, validation rows only) of four data sets: going
   * from 60 to 100 trees lowered the out-of-bag RMSE by 0.09% on ml-100k (0.89248 to 0.89171),
   * 0.08% on ml-latest-small, 0.04% on the synthetic ml-1m shape (0.82573 to 0.82542) and 0.07% at
   * 5M ratings (0.82458 to 0.82400). Those figures overstate what the 40 trees are worth (each
   * out-of-bag row is scored by only the ~37% of trees that left it out; a squared error falling as
   * {@code a + b/trees} through the curves puts a 60-tree forest 0.0002-0.0003 RMSE behind a 100-tree
   * one on new ratings, inside every fold-to-fold spread measured), while the cost is linear in trees
   * times rows. So small sets, where the forest takes seconds, keep 100 trees, and from the ml-1m
   * shape on, where it was the longest stage (27 s of 2 min), it grows 60: 100,000 rows.
   */
  public static final long TREE_ROW_BUDGET = 6_000_000;

  /** Most trees of the automatic count (and the count before 2026-11-30). */
  public static final int MAX_AUTO_TREES = 100;

  /** Fewest trees of the automatic count. */
  public static final int MIN_AUTO_TREES = 60;

  private ForestFitter() {}

  /**
   * A grown forest and its out-of-bag RMSE after every {@link #CURVE_STEP} trees (epoch = trees),
   * the evidence for how many trees are worth growing.
   */
  public record Grown(RandomForest forest, List<EpochStats> curve) {}

  /** Trees between two points of {@link Grown#curve()}. */
  static final int CURVE_STEP = 10;

  public static RandomForest fit(HybridFeatures features, RatingsTable all, Config config) {
    return grow(features, all, config).forest();
  }

  /** As {@link #fit}, with the out-of-bag curve. */
  public static Grown grow(HybridFeatures features, RatingsTable all, Config config) {
    RatingsTable rows = dev.recsys.trainer.evaluation.Splits.sample(all, config.maxRows(), config.seed() + 17);
    List<String> names = new ArrayList<>(features.names());
    int p = names.size();
    double[][] matrix = new double[rows.size()][p + 1];
    // Rows are independent (the features only read the fitted models): filled in parallel, each
    // into its own row, so the matrix is the same whatever the thread count.
    IntStream.range(0, rows.size()).parallel().forEach(r -> {
      features.fill(rows.user(r), rows.movie(r), matrix[r]);
      matrix[r][p] = rows.rating(r);
    });
    names.add(ForestModel.TARGET);
    DataFrame frame = DataFrame.of(matrix, names.toArray(String[]::new));
    RandomForest.Options options = options(config.withTrees(config.treesFor(rows.size())), p);
    RandomForest grown = RandomForest.fit(Formula.lhs(ForestModel.TARGET), frame, options);
    OutOfBag oob = outOfBagCurve(grown, frame, options);
    return new Grown(new RandomForest(grown.formula(), grown.models(), oob.metrics(), grown.importance()), oob.curve());
  }

  /**
   * The out-of-bag figures {@link #fit} recorded in {@code forest}, as rating metrics: the forest's
   * validation figures, each tree scored only on the rows its sample left out.
   */
  public static RatingMetrics validation(RandomForest forest) {
    RegressionMetrics oob = forest.metrics();
    return new RatingMetrics(oob.rmse(), oob.mad(), oob.r2(), oob.size());
  }

  static RandomForest.Options options(Config config, int features) {
    // One seed per tree, drawn in order: Smile seeds each tree's generator with its own, so the
    // trees do not depend on which thread grows them.
    SplittableRandom random = new SplittableRandom(config.seed());
    long[] seeds = new long[config.trees()];
    for (int t = 0; t < seeds.length; t++) {
      seeds[t] = random.nextLong();
    }
    return new RandomForest.Options(
        config.trees(), Math.max(1, features / 3), config.maxDepth(), config.maxNodes(), config.nodeSize(), config.subsample(), seeds, null);
  }

  /** The whole forest's out-of-bag figures, and the out-of-bag RMSE of its first 10, 20, ... trees. */
  record OutOfBag(RegressionMetrics metrics, List<EpochStats> curve) {}

  /**
   * The forest's out-of-bag error: each row scored by the mean of the trees whose sample left it
   * out, over the rows some tree left out.
   *
   * <p>Smile computes this figure too, but its trees add their out-of-bag predictions into shared
   * arrays from parallel threads without synchronisation (6.2.5), so updates get lost and the
   * figure changes from run to run with the same seed. Here each tree's sample is drawn again from
   * its seed, exactly as Smile drew it (a test checks the two figures agree when Smile runs on one
   * thread), and each row sums its trees in tree order, so the figure is the same whatever the
   * thread count. On the way, the out-of-bag RMSE of the forest's first 10, 20, ... trees
   * ({@link #CURVE_STEP}).
   */
  static OutOfBag outOfBagCurve(RandomForest forest, DataFrame frame, RandomForest.Options options) {
    int n = frame.size();
    long[] seeds = options.seeds();
    if (seeds == null || seeds.length != forest.size()) {
      throw new IllegalArgumentException("the out-of-bag rows are redrawn from one seed per tree: got "
          + (seeds == null ? "no seeds" : seeds.length + " seeds") + " for " + forest.size() + " trees");
    }
    List<BitSet> inBag = SeededRuns.inParallel(seeds.length, t -> sample(seeds[t], n, options.subsample()));
    DataFrame x = forest.formula().x(frame);
    double[] y = forest.formula().y(frame).toDoubleArray();
    RegressionTree[] trees = forest.trees();
    double[] prediction = new double[n];
    int[] votes = new int[n];
    // Curve points: squared errors and scored rows of the first (c + 1) * CURVE_STEP trees, summed
    // per chunk of rows and the chunks added in order, so the curve does not depend on threads.
    int points = (trees.length + CURVE_STEP - 1) / CURVE_STEP;
    int chunk = 4096;
    int chunks = (n + chunk - 1) / chunk;
    double[][] squared = new double[chunks][points];
    long[][] counted = new long[chunks][points];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      for (int i = c * chunk; i < Math.min(n, (c + 1) * chunk); i++) {
        Tuple row = x.get(i);
        double sum = 0;
        for (int t = 0; t < trees.length; t++) {
          if (!inBag.get(t).get(i)) {
            sum += trees[t].predict(row);
            votes[i]++;
          }
          if ((t + 1) % CURVE_STEP == 0 || t == trees.length - 1) {
            if (votes[i] > 0) {
              double e = y[i] - sum / votes[i];
              squared[c][t / CURVE_STEP] += e * e;
              counted[c][t / CURVE_STEP]++;
            }
          }
        }
        prediction[i] = votes[i] == 0 ? Double.NaN : sum / votes[i];
      }
    });
    List<EpochStats> curve = new ArrayList<>();
    for (int point = 0; point < points; point++) {
      double se = 0;
      long rows = 0;
      for (int c = 0; c < chunks; c++) {
        se += squared[c][point];
        rows += counted[c][point];
      }
      curve.add(new EpochStats(Math.min(trees.length, (point + 1) * CURVE_STEP), Double.NaN, rows == 0 ? Double.NaN : Math.sqrt(se / rows), 0));
    }
    int scored = 0;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      if (votes[i] > 0) {
        scored++;
        mean += y[i];
      }
    }
    mean /= Math.max(1, scored);
    double rss = 0;
    double absolute = 0;
    double tss = 0;
    for (int i = 0; i < n; i++) {
      if (votes[i] > 0) {
        double e = y[i] - prediction[i];
        rss += e * e;
        absolute += Math.abs(e);
        tss += (y[i] - mean) * (y[i] - mean);
      }
    }
    if (scored == 0) {
      return new OutOfBag(new RegressionMetrics(0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN), curve);
    }
    double mse = rss / scored;
    return new OutOfBag(new RegressionMetrics(0, 0, scored, rss, mse, Math.sqrt(mse), absolute / scored, tss == 0 ? Double.NaN : 1 - rss / tss),
        curve);
  }

  /** The rows one tree trained on, drawn as {@code RandomForest.fit} draws them for that seed. */
  private static BitSet sample(long seed, int n, double subsample) {
    MathEx.setSeed(seed);
    BitSet in = new BitSet(n);
    if (subsample == 1.0) {
      for (int i = 0; i < n; i++) {
        in.set(MathEx.randomInt(n));
      }
    } else {
      int[] permutation = MathEx.permutate(n);
      int kept = (int) Math.round(n * subsample);
      for (int i = 0; i < kept; i++) {
        in.set(permutation[i]);
      }
    }
    return in;
  }
}
