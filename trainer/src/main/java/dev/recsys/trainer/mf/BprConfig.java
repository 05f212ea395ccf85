package dev.recsys.trainer.mf;

/**
 * Settings of the ranking model (BPR over implicit feedback).
 *
 * @param dim embedding dimension
 * @param learningRate Adam step size
 * @param l2 L2 penalty on the batch's user and movie embeddings
 * @param biasL2 L2 penalty on the movie biases
 * @param negatives sampled negative movies per positive
 * @param batchSize positives per mini-batch
 * @param maxEpochs upper bound on epochs
 * @param patience epochs without validation improvement before stopping
 * @param initStd standard deviation of the initial embeddings
 * @param seed random seed
 */
public record BprConfig(
    int dim, float learningRate, float l2, float biasL2, int negatives, int batchSize, int maxEpochs, int patience,
    float initStd, long seed) {

  public BprConfig {
    if (dim < 1 || dim > 1024 || !(learningRate > 0 && learningRate < 1) || l2 < 0 || biasL2 < 0 || negatives < 1
        || batchSize < 1 || maxEpochs < 1 || patience < 1) {
      throw new IllegalArgumentException("invalid ranking model settings: " + this);
    }
  }

  /** Defaults tuned on ml-100k and ml-latest-small (see docs/ranking-models.md). */
  public static BprConfig defaults(long seed) {
    return new BprConfig(64, 0.005f, 0.01f, 0.001f, 4, 1024, 60, 5, 0.1f, seed);
  }

  public BprConfig withMaxEpochs(int epochs) {
    return new BprConfig(dim, learningRate, l2, biasL2, negatives, batchSize, epochs, patience, initStd, seed);
  }
}
