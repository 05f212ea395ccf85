package dev.recsys.trainer.mf;

import dev.recsys.models.embedding.EmbeddingTables;
import java.util.SplittableRandom;

/**
 * What an embedding model is trained to do: how an epoch is cut into batches, the gradient of a
 * batch's loss, and the validation metric that early stopping watches. Implementations hold the
 * training data.
 */
interface TrainingObjective {

  /** Prepares an epoch (e.g. shuffles) and returns its number of batches. */
  int startEpoch(SplittableRandom random);

  /**
   * Adds the gradient of one batch's loss (data term plus regularisation) to the gradient buffers
   * of {@code params}, touching every row it adds to.
   *
   * @return the batch's data loss, for reporting
   */
  double accumulate(EmbeddingParams params, int batch, SplittableRandom random);

  /** Validation metric of a snapshot; lower is better. NaN when there is no validation data. */
  double validate(EmbeddingTables snapshot);

  /** Name of the validation metric, e.g. "val RMSE". */
  String metricName();
}
