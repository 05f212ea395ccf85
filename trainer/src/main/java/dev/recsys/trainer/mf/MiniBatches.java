package dev.recsys.trainer.mf;

import java.util.SplittableRandom;

/**
 * The rows of a training table in a new random order each epoch, cut into mini-batches of a fixed
 * size (the last one shorter). Shared by the objectives so that every model sees its data the same
 * way for the same seed.
 */
final class MiniBatches {

  private final int[] order;
  private final int batchSize;

  MiniBatches(int rows, int batchSize) {
    this.order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    this.batchSize = batchSize;
  }

  /** Reshuffles the rows (Fisher-Yates); returns the number of batches in the epoch. */
  int shuffle(SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return (order.length + batchSize - 1) / batchSize;
  }

  /** Rows in {@code batch}. */
  int size(int batch) {
    return Math.min(batchSize, order.length - batch * batchSize);
  }

  /** The table row at position {@code k} of {@code batch}. */
  int row(int batch, int k) {
    return order[batch * batchSize + k];
  }
}
