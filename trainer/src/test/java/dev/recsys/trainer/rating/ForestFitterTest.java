package dev.recsys.trainer.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.rating.ForestModel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.RandomForest;
import smile.validation.RegressionMetrics;

/**
 * The forest's out-of-bag figure is the validation RMSE the trainer chooses its rating model by, so
 * it must be the same on every run with the same seed and must mean what Smile means by it.
 */
class ForestFitterTest {

  private static DataFrame frame(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] m = new double[rows][4];
    for (double[] row : m) {
      row[0] = random.nextDouble();
      row[1] = random.nextDouble();
      row[2] = random.nextInt(5);
      row[3] = 1 + 3 * row[0] - 2 * row[1] * row[1] + 0.5 * row[2] + random.nextGaussian() * 0.3;
    }
    return DataFrame.of(m, "a", "b", "c", ForestModel.TARGET);
  }

  private static RandomForest grow(DataFrame data, RandomForest.Options options) {
    return RandomForest.fit(Formula.lhs(ForestModel.TARGET), data, options);
  }

  @Test
  void outOfBag_agreesWithSmilesOwnFigure_whenSmileRunsOnOneThread() throws Exception {
    DataFrame data = frame(1500, 1);
    for (double subsample : new double[] {1.0, 0.7}) {
      RandomForest.Options options =
          ForestFitter.options(new ForestFitter.Config(40, 10, 100, 5, subsample, 11, ForestFitter.DEFAULT_MAX_ROWS), 3);
      // On one worker Smile's unsynchronised out-of-bag sums lose nothing: its figure is exact there.
      ForkJoinPool one = new ForkJoinPool(1);
      RandomForest serial;
      try {
        serial = one.submit(() -> grow(data, options)).get();
      } finally {
        one.shutdown();
      }
      RegressionMetrics smile = serial.metrics();
      RegressionMetrics ours = ForestFitter.outOfBagCurve(serial, data, options).metrics();
      assertEquals(smile.size(), ours.size(), "every row left out by some tree, subsample " + subsample);
      assertEquals(smile.rmse(), ours.rmse(), 1e-12, "subsample " + subsample);
      assertEquals(smile.mad(), ours.mad(), 1e-12, "subsample " + subsample);
      assertEquals(smile.r2(), ours.r2(), 1e-12, "subsample " + subsample);
      assertTrue(ours.rmse() > 0.25 && ours.rmse() < 0.6, "noise is 0.3: " + ours.rmse());

      // Grown on every core, the trees are the same and so is the recomputed figure.
      RandomForest parallel = grow(data, options);
      assertEquals(ours, ForestFitter.outOfBagCurve(parallel, data, options).metrics());
    }
  }

  @Test
  void automaticTreeCount_keeps100ForSmallSets_60AtTheRowCap_andAGivenCountAsGiven() {
    ForestFitter.Config auto = ForestFitter.Config.defaults(1);
    assertEquals(100, auto.treesFor(12_000), "ml-100k's blend part: the forest takes seconds");
    assertEquals(100, auto.treesFor(60_000));
    assertEquals(80, auto.treesFor(75_000), "6 million tree-rows");
    assertEquals(60, auto.treesFor(100_000));
    assertEquals(60, auto.treesFor(3_000_000), "rows above the cap are sampled down to it first");
    assertEquals(15, auto.withTrees(15).treesFor(3_000_000));
  }

  @Test
  void outOfBagCurve_endsAtTheWholeForestsFigure_andFallsAsTreesAreAdded() {
    DataFrame data = frame(3_000, 5);
    RandomForest.Options options = ForestFitter.options(new ForestFitter.Config(40, 10, 100, 5, 1.0, 3, ForestFitter.DEFAULT_MAX_ROWS), 3);
    RandomForest forest = grow(data, options);
    ForestFitter.OutOfBag oob = ForestFitter.outOfBagCurve(forest, data, options);
    assertEquals(List.of(10, 20, 30, 40), oob.curve().stream().map(e -> e.epoch()).toList());
    assertEquals(oob.metrics().rmse(), oob.curve().getLast().validationMetric(), 1e-12);
    assertTrue(oob.curve().getFirst().validationMetric() > oob.curve().getLast().validationMetric(), oob.curve().toString());
  }
}
