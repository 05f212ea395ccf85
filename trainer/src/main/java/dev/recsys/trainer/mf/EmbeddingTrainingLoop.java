package dev.recsys.trainer.mf;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The mini-batch training loop shared by the embedding models: DJL autograd on the PyTorch engine,
 * Adam, one progress line per epoch, early stopping on the objective's validation metric with the
 * best epoch's parameters restored.
 */
final class EmbeddingTrainingLoop {

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

    EmbeddingParams create(NDManager manager, long seed) {
      return from == null
          ? new EmbeddingParams(manager, users, items, dim, globalBias, initStd, seed)
          : new EmbeddingParams(manager, from);
    }
  }

  static Result run(
      Start start, float learningRate, int maxEpochs, int patience, long seed, TrainingObjective objective,
      Progress progress) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager(Device.cpu());
        EmbeddingParams params = start.create(manager, seed)) {
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
      SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
      List<EpochStats> curve = new ArrayList<>();
      EmbeddingTables best = null;
      double bestMetric = Double.POSITIVE_INFINITY;
      int bestEpoch = 0;
      for (int epoch = 1; epoch <= maxEpochs; epoch++) {
        long epochStart = System.nanoTime();
        int batches = objective.startEpoch(random);
        double lossSum = 0;
        for (int b = 0; b < batches; b++) {
          try (NDManager scope = manager.newSubManager();
              GradientCollector collector = engine.newGradientCollector()) {
            NDArray loss = objective.batchLoss(scope, params, b, random);
            collector.backward(loss);
            lossSum += objective.lastDataLoss();
          }
          NDArray[] arrays = params.all();
          String[] names = EmbeddingParams.names();
          for (int p = 0; p < arrays.length; p++) {
            try (NDArray gradient = arrays[p].getGradient()) {
              adam.update(names[p], arrays[p], gradient);
              // Gradients accumulate in libtorch: clear them for the next batch.
              gradient.subi(gradient);
            }
          }
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
        if (Double.isNaN(metric) || metric < bestMetric - 1e-5) {
          bestMetric = Double.isNaN(metric) ? bestMetric : metric;
          best = snapshot;
          bestEpoch = epoch;
        } else if (epoch - bestEpoch >= patience) {
          break;
        }
      }
      return new Result(best, curve, bestEpoch, bestMetric);
    }
  }
}
