package dev.recsys.trainer.mf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recsys.trainer.data.RatingsTable;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The hand-written gradients of both objectives against central finite differences of the loss they
 * claim to minimise, written out again here from its definition (data term plus L2 penalty).
 */
class GradientCheckTest {

  private static final int DIM = 3;

  @Test
  void ratingObjective_gradientMatchesFiniteDifferences() {
    // Two users, three movies, five ratings: every row is touched and users repeat in the batch.
    RatingsTable table = RatingsTable.of(2, 3, new int[] {0, 0, 1, 1, 1}, new int[] {0, 2, 0, 1, 2},
        new float[] {5, 3, 1, 4, 2.5f}, new int[5]);
    MfConfig config = new MfConfig(DIM, 0.01f, 0.3f, 0.05f, 64, 1, 1, 0.5f, 3);
    float mean = 3f;
    RatingMfTrainer.MseObjective objective = new RatingMfTrainer.MseObjective(table, table.subset(new int[0]), config, mean);
    ToDoubleFunction<EmbeddingParams> loss = p -> {
      double data = 0;
      double penalty = 0;
      for (int r = 0; r < table.size(); r++) {
        int u = table.user(r);
        int i = table.movie(r);
        double prediction = p.users.bias[u] + p.items.bias[i];
        for (int f = 0; f < DIM; f++) {
          prediction += p.users.embedding[u * DIM + f] * p.items.embedding[i * DIM + f];
          penalty += config.l2() * (sq(p.users.embedding[u * DIM + f]) + sq(p.items.embedding[i * DIM + f]));
        }
        penalty += config.biasL2() * (sq(p.users.bias[u]) + sq(p.items.bias[i]));
        data += sq(prediction - (table.rating(r) - mean));
      }
      return (data + penalty) / table.size();
    };
    check(new EmbeddingParams(2, 3, DIM, mean, 0.5f, 11), objective, loss);
  }

  @Test
  void bprObjective_gradientMatchesFiniteDifferences() {
    // Two movies, each user rated one: the sampled negative is always the other movie, so the loss
    // can be written out without the sampler.
    RatingsTable table = RatingsTable.of(3, 2, new int[] {0, 1, 2}, new int[] {0, 1, 0}, new float[] {4, 5, 1}, new int[3]);
    BprConfig config = new BprConfig(DIM, 0.01f, 0.2f, 0.07f, 2, 64, 1, 1, 0.5f, 5);
    BprTrainer.BprObjective objective = new BprTrainer.BprObjective(table, config, null);
    int negatives = config.negatives();
    ToDoubleFunction<EmbeddingParams> loss = p -> {
      double data = 0;
      double penalty = 0;
      for (int r = 0; r < table.size(); r++) {
        int u = table.user(r);
        int i = table.movie(r);
        int j = 1 - i;
        double x = p.items.bias[i] - p.items.bias[j];
        for (int f = 0; f < DIM; f++) {
          x += p.users.embedding[u * DIM + f] * (p.items.embedding[i * DIM + f] - p.items.embedding[j * DIM + f]);
          penalty += config.l2() * (negatives * (sq(p.users.embedding[u * DIM + f]) + sq(p.items.embedding[i * DIM + f]))
              + negatives * sq(p.items.embedding[j * DIM + f]));
        }
        penalty += config.biasL2() * negatives * (sq(p.items.bias[i]) + sq(p.items.bias[j]));
        data += negatives * Math.log1p(Math.exp(-x));
      }
      return (data + penalty) / (table.size() * negatives);
    };
    check(new EmbeddingParams(3, 2, DIM, 0f, 0.5f, 13), objective, loss);
  }

  /** Every parameter's analytic partial derivative equals the central difference of {@code loss}. */
  private static void check(EmbeddingParams p, TrainingObjective objective, ToDoubleFunction<EmbeddingParams> loss) {
    objective.startEpoch(new SplittableRandom(1));
    objective.accumulate(p, 0, new SplittableRandom(2));
    float[][] values = {p.users.embedding, p.items.embedding, p.users.bias, p.items.bias};
    float[][] analytic = {p.users.embeddingGrad.clone(), p.items.embeddingGrad.clone(), p.users.biasGrad.clone(), p.items.biasGrad.clone()};
    float h = 1e-2f;
    int checked = 0;
    for (int a = 0; a < values.length; a++) {
      for (int k = 0; k < values[a].length; k++) {
        float original = values[a][k];
        values[a][k] = original + h;
        double up = loss.applyAsDouble(p);
        values[a][k] = original - h;
        double down = loss.applyAsDouble(p);
        values[a][k] = original;
        double numeric = (up - down) / (2 * h);
        assertEquals(numeric, analytic[a][k], 1e-3 + 1e-2 * Math.abs(numeric), "parameter " + k + " of table " + a);
        checked += numeric != 0 ? 1 : 0;
      }
    }
    // The check must have had something to compare (a loss that ignored the parameters would pass).
    assertEquals(true, checked > 10, "non-zero derivatives checked: " + checked);
  }

  private static double sq(double v) {
    return v * v;
  }
}
