package dev.recsys.trainer.mf;

/**
 * One epoch of training, for progress lines, curves and the manifest.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss of the epoch's batches (data term only)
 * @param validationMetric the metric early stopping watches (validation RMSE for ratings; NaN when
 *     there is no validation set)
 * @param seconds wall time of the epoch
 */
public record EpochStats(int epoch, double trainLoss, double validationMetric, double seconds) {

  /** {@code before} followed by {@code after}, whose epochs continue the count (e.g. fine-tuning after early stopping). */
  public static java.util.List<EpochStats> continued(java.util.List<EpochStats> before, java.util.List<EpochStats> after) {
    java.util.List<EpochStats> curve = new java.util.ArrayList<>(before);
    for (EpochStats e : after) {
      curve.add(new EpochStats(before.size() + e.epoch(), e.trainLoss(), e.validationMetric(), e.seconds()));
    }
    return curve;
  }
}
