package dev.recsys.trainer.mf;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The mini-batch training loop shared by the embedding models: hand-written gradients in plain Java,
 * Adam applied only to the rows each batch touched, one progress line per epoch, early stopping on
 * the objective's validation metric with the best epoch's parameters restored.
 *
 * <p>Why not DJL autograd (which trained these models before): its embedding backward is a dense
 * scatter-add and its Adam updates every row of every table at every batch, so a batch costs
 * O((users + movies) x dim) however small it is. Measured on this 2-core machine (docs/scale.md):
 * the same model and data trained several times faster here, and at ml-25m size DJL's first epoch
 * had not finished after 18 minutes. DJL remains the engine that loads and checks the exported
 * TorchScript models.
 */
final class EmbeddingTrainingLoop {

  /** Adam's defaults (Kingma and Ba; the same as DJL's and PyTorch's). */
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  /** The trained model and how it got there. */
  record Result(EmbeddingTables model, List<EpochStats> curve, int bestEpoch, double bestMetric) {}

  private EmbeddingTrainingLoop() {}

  /** Starting point: fresh random parameters, or an existing model to fine-tune. */
  record Start(int users, int items, int dim, float globalBias, float initStd, EmbeddingTables from) {
    static Start fresh(int users, int items, int dim, float globalBias, float initStd) {
      return new Start(users, items, dim, globalBias, initStd, null);
    }

    static Start from(EmbeddingTables model) {
      return new Start(model.users(), model.items(), model.dim(), model.globalBias(), 0, model);
    }

    EmbeddingParams create(long seed) {
      return from == null ? new EmbeddingParams(users, items, dim, globalBias, initStd, seed) : new EmbeddingParams(from);
    }
  }

  static Result run(
      Start start, float learningRate, int maxEpochs, int patience, long seed, TrainingObjective objective,
      Progress progress) {
    EmbeddingParams params = start.create(seed);
    SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    List<EpochStats> curve = new ArrayList<>();
    EmbeddingTables best = null;
    double bestMetric = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    long step = 0;
    double beta1Power = 1;
    double beta2Power = 1;
    for (int epoch = 1; epoch <= maxEpochs; epoch++) {
      long epochStart = System.nanoTime();
      int batches = objective.startEpoch(random);
      double lossSum = 0;
      for (int b = 0; b < batches; b++) {
        lossSum += objective.accumulate(params, b, random);
        step++;
        beta1Power *= BETA1;
        beta2Power *= BETA2;
        float stepSize = (float) (learningRate * Math.sqrt(1 - beta2Power) / (1 - beta1Power));
        params.users.adamStep(stepSize, BETA1, BETA2, EPSILON);
        params.items.adamStep(stepSize, BETA1, BETA2, EPSILON);
      }
      EmbeddingTables snapshot = params.snapshot();
      double metric = objective.validate(snapshot);
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      EpochStats stats = new EpochStats(epoch, lossSum / Math.max(1, batches), metric, seconds);
      curve.add(stats);
      progress.set(epoch);
      progress.detail(
          String.format(Locale.ROOT, "loss %.4f", stats.trainLoss())
              + (Double.isNaN(metric) ? "" : String.format(Locale.ROOT, "  %s %.4f", objective.metricName(), metric))
              + String.format(Locale.ROOT, "  (%.1fs/epoch)", seconds));
      progress.printNow();
      if (!Double.isFinite(stats.trainLoss())) {
        break; // diverged: keep the last good epoch (callers check the model for non-finite values)
      }
      if (Double.isNaN(metric) || metric < bestMetric - 1e-5) {
        bestMetric = Double.isNaN(metric) ? bestMetric : metric;
        best = snapshot;
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= patience) {
        break;
      }
    }
    return new Result(best == null ? params.snapshot() : best, curve, bestEpoch, bestMetric);
  }
}
