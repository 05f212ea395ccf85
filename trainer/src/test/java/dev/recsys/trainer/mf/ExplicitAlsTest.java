package dev.recsys.trainer.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ExplicitAlsTest {

  @Test
  void movieRows_solveTheirNormalEquations_givenTheUsers() {
    // Dimension 2: rows of width 3, so the 4 conjugate-gradient steps solve exactly.
    RatingsTable t = RatingsTable.of(3, 2, new int[] {0, 0, 1, 2, 2}, new int[] {0, 1, 0, 0, 1}, new float[] {5, 1, 4, 2, 3}, new int[5]);
    MfConfig config = new MfConfig(2, 0.01f, 0.3f, 0.05f, 64, 1, 1, 0.5f, 9).withSolver(MfConfig.Solver.ALS);
    EmbeddingTables m = ExplicitAls.fineTune(ExplicitAls.train(t, t.subset(new int[0]), config, Progress.silent("a")).model(), t, config, 1,
        Progress.silent("b")).model();
    for (int i = 0; i < 2; i++) {
      double[][] a = new double[3][3];
      double[] b = new double[3];
      int n = 0;
      for (int r = 0; r < t.size(); r++) {
        if (t.movie(r) != i) {
          continue;
        }
        n++;
        int u = t.user(r);
        double[] y = {m.userEmbeddings()[u * 2], m.userEmbeddings()[u * 2 + 1], 1};
        double target = t.rating(r) - m.globalBias() - m.userBiases()[u];
        for (int x = 0; x < 3; x++) {
          b[x] += target * y[x];
          for (int z = 0; z < 3; z++) {
            a[x][z] += y[x] * y[z];
          }
        }
      }
      a[0][0] += config.l2() * n;
      a[1][1] += config.l2() * n;
      a[2][2] += config.biasL2() * n;
      double[] x = {m.itemEmbeddings()[i * 2], m.itemEmbeddings()[i * 2 + 1], m.itemBiases()[i]};
      for (int row = 0; row < 3; row++) {
        double ax = 0;
        for (int z = 0; z < 3; z++) {
          ax += a[row][z] * x[z];
        }
        assertEquals(b[row], ax, 1e-4, "movie " + i + ", equation " + row);
      }
    }
  }

  @Test
  void train_onMl100k_learnsAsWellAsAdam_andIsReproducible() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold split = Splits.holdout(data.ratings(), 0.1, 1);
    MfConfig config = MfConfig.defaults(3).withSolver(MfConfig.Solver.ALS).withMaxEpochs(12);

    RatingMfTrainer.Result a = RatingMfTrainer.train(split.train(), split.test(), config, Progress.silent("als"));
    RatingMfTrainer.Result b = RatingMfTrainer.train(split.train(), split.test(), config, Progress.silent("als"));

    double rmse = RatingMetrics.of(split.test(), a.model()::score).rmse();
    assertTrue(rmse < 0.95, "validation RMSE " + rmse);
    assertEquals(rmse, a.validationRmse(), 1e-9);
    assertArrayEquals(a.model().itemEmbeddings(), b.model().itemEmbeddings(), "row solves are independent of the thread count");
  }
}
