package dev.recsys.trainer.mf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.recsys.models.embedding.EmbeddingTables;
import java.util.SplittableRandom;

/**
 * What an embedding model is trained to do: how an epoch is cut into batches, the loss of a batch,
 * and the validation metric that early stopping watches. Implementations hold the training data.
 */
interface TrainingObjective {

  /** Prepares an epoch (e.g. shuffles) and returns its number of batches. */
  int startEpoch(SplittableRandom random);

  /**
   * The loss of one batch, built from {@code params} with arrays created in {@code scope}.
   *
   * @return a scalar: the data term plus regularisation, to differentiate
   */
  NDArray batchLoss(NDManager scope, EmbeddingParams params, int batch, SplittableRandom random);

  /** The data term of the last batch loss, for reporting (a Java number). */
  double lastDataLoss();

  /** Validation metric of a snapshot; lower is better. NaN when there is no validation data. */
  double validate(EmbeddingTables snapshot);

  /** Name of the validation metric, e.g. "val RMSE". */
  String metricName();
}
