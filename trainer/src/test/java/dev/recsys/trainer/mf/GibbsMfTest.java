package dev.recsys.trainer.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GibbsMfTest {

  @Test
  void plantedRankTwoRatings_arePredictedForPairsNeverSeen() {
    // 60 users x 40 movies, ratings 3 + <a_u, b_i> + noise of sd 0.1, 60% observed; the rest held out.
    SplittableRandom random = new SplittableRandom(5);
    int users = 60;
    int movies = 40;
    double[] a = gaussians(random, users * 2);
    double[] b = gaussians(random, movies * 2);
    java.util.List<int[]> seen = new java.util.ArrayList<>();
    java.util.List<int[]> unseen = new java.util.ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < movies; i++) {
        (random.nextDouble() < 0.6 ? seen : unseen).add(new int[] {u, i});
      }
    }
    RatingsTable train = table(seen, users, movies, a, b, random);
    RatingsTable test = table(unseen, users, movies, a, b, random);

    RatingMfTrainer.Result r = GibbsMf.train(train, test.subset(new int[0]), new GibbsMf.Settings(4, 30, 20, 2, 1), Progress.silent("gibbs"));

    double rmse = RatingMetrics.of(test, r.model()::score).rmse();
    double meanOnly = RatingMetrics.of(test, (u, i) -> (float) train.meanRating()).rmse();
    assertTrue(meanOnly > 0.8, "the planted structure spreads the ratings: " + meanOnly);
    assertTrue(rmse < 0.25, "held-out RMSE " + rmse + " (noise sd 0.1, mean only " + meanOnly + ")");
    assertEquals(4 * 20, r.model().dim(), "20 draws of 4 dimensions side by side");
    assertEquals("gibbs", r.solver());
  }

  @Test
  void onMl100k_beatsAls_servesTheAverageOfItsDraws_andIsReproducible() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold split = Splits.holdout(data.ratings(), 0.1, 1);
    GibbsMf.Settings settings = new GibbsMf.Settings(6, 30, 20, 3, 3);

    RatingMfTrainer.Result a = GibbsMf.train(split.train(), split.test(), settings, Progress.silent("gibbs"));
    RatingMfTrainer.Result b = GibbsMf.train(split.train(), split.test(), settings, Progress.silent("gibbs"));
    RatingMfTrainer.Result als = ExplicitAls.train(split.train(), split.test(), MfConfig.defaults(3).withSolver(MfConfig.Solver.ALS),
        Progress.silent("als"));

    double rmse = RatingMetrics.of(split.test(), a.model()::score).rmse();
    assertTrue(rmse < als.validationRmse() - 0.005, "Gibbs " + rmse + " vs ALS " + als.validationRmse());
    assertEquals(rmse, a.validationRmse(), 1e-9);
    // The chain scored the running average of its draws' predictions after each kept draw; the
    // concatenated tables must give the same numbers as one dot product (clamped alike).
    EmbeddingTables m = a.model();
    double clamped = RatingMetrics.of(split.test(), (u, i) -> Math.min(5f, Math.max(0.5f, m.score(u, i)))).rmse();
    assertEquals(clamped, a.curve().getLast().validationMetric(), 1e-4);
    assertEquals(settings.sweeps(), a.curve().size());
    assertArrayEquals(a.model().userEmbeddings(), b.model().userEmbeddings(), "draws do not depend on the thread schedule");
  }

  @Test
  void gammaDraws_haveTheirDistributionsMeanAndVariance() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 200_000;
    double shape = 3.5;
    double rate = 2.0;
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double x = GibbsMf.gamma(random, shape, rate);
      sum += x;
      squares += x * x;
    }
    double mean = sum / n;
    double variance = squares / n - mean * mean;
    assertEquals(shape / rate, mean, 0.01);
    assertEquals(shape / (rate * rate), variance, 0.02);
  }

  @Test
  void settings_refuseAServedWidthOverTheLimit_andEmptyChains() {
    IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> new GibbsMf.Settings(16, 10, 64, 1, 1));
    assertTrue(wide.getMessage().contains("16 x 64"), wide.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new GibbsMf.Settings(4, 10, 0, 1, 1));
    assertTrue(none.getMessage().contains("kept 0"), none.getMessage());
  }

  private static double[] gaussians(SplittableRandom random, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextGaussian() * 0.8;
    }
    return out;
  }

  private static RatingsTable table(java.util.List<int[]> pairs, int users, int movies, double[] a, double[] b, SplittableRandom random) {
    int n = pairs.size();
    int[] u = new int[n];
    int[] m = new int[n];
    float[] r = new float[n];
    for (int k = 0; k < n; k++) {
      u[k] = pairs.get(k)[0];
      m[k] = pairs.get(k)[1];
      r[k] = (float) (3 + a[u[k] * 2] * b[m[k] * 2] + a[u[k] * 2 + 1] * b[m[k] * 2 + 1] + random.nextGaussian() * 0.1);
    }
    return RatingsTable.of(users, movies, u, m, r, new int[n]);
  }
}
