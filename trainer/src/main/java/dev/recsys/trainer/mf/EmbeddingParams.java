package dev.recsys.trainer.mf;

import dev.recsys.models.embedding.EmbeddingTables;
import java.util.SplittableRandom;

/**
 * The trainable tables of a biased embedding model as plain arrays: a user side and an item side,
 * each an embedding and a bias per row, with gradient buffers and Adam moments. The global bias is
 * a constant (the training mean for ratings, 0 for ranking).
 */
final class EmbeddingParams {

  final int dim;
  final float globalBias;
  final Side users;
  final Side items;

  EmbeddingParams(int users, int items, int dim, float globalBias, float initStd, long seed) {
    this.dim = dim;
    this.globalBias = globalBias;
    // Initialised from a seeded generator in a fixed order: runs are reproducible.
    SplittableRandom random = new SplittableRandom(seed);
    this.users = new Side(gaussian(random, users * dim, initStd), new float[users], dim);
    this.items = new Side(gaussian(random, items * dim, initStd), new float[items], dim);
  }

  /** Parameters starting from an existing model (fine-tuning). */
  EmbeddingParams(EmbeddingTables start) {
    this.dim = start.dim();
    this.globalBias = start.globalBias();
    this.users = new Side(start.userEmbeddings().clone(), start.userBiases().clone(), dim);
    this.items = new Side(start.itemEmbeddings().clone(), start.itemBiases().clone(), dim);
  }

  private static float[] gaussian(SplittableRandom random, int n, float std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    return v;
  }

  /** A copy of the current values. */
  EmbeddingTables snapshot() {
    return new EmbeddingTables(users.rows, items.rows, dim, users.embedding.clone(), items.embedding.clone(), users.bias.clone(),
        items.bias.clone(), globalBias);
  }

  /**
   * One side of the model (users or items): {@code rows} embeddings of width {@code dim} and a bias
   * each, the gradient of the current batch, and Adam's moments. Only the rows a batch touched are
   * updated ("lazy" Adam, as TensorFlow's LazyAdam and PyTorch's SparseAdam do): the cost of a step
   * is proportional to the batch, not to the table, which is what lets training scale to 25M ratings.
   */
  static final class Side {
    final int rows;
    final int dim;
    final float[] embedding;
    final float[] bias;
    final float[] embeddingGrad;
    final float[] biasGrad;
    private final float[] embeddingM;
    private final float[] embeddingV;
    private final float[] biasM;
    private final float[] biasV;
    private final boolean[] touched;
    private final int[] touchedRows;
    private int touchedCount;

    Side(float[] embedding, float[] bias, int dim) {
      this.rows = bias.length;
      this.dim = dim;
      this.embedding = embedding;
      this.bias = bias;
      this.embeddingGrad = new float[embedding.length];
      this.biasGrad = new float[rows];
      this.embeddingM = new float[embedding.length];
      this.embeddingV = new float[embedding.length];
      this.biasM = new float[rows];
      this.biasV = new float[rows];
      this.touched = new boolean[rows];
      this.touchedRows = new int[rows];
    }

    /** Records that the current batch has a gradient for {@code row}. */
    void touch(int row) {
      if (!touched[row]) {
        touched[row] = true;
        touchedRows[touchedCount++] = row;
      }
    }

    /**
     * Applies one Adam step to every touched row and clears their gradients.
     *
     * @param stepSize the bias-corrected learning rate of this step
     */
    void adamStep(float stepSize, float beta1, float beta2, float epsilon) {
      for (int t = 0; t < touchedCount; t++) {
        int row = touchedRows[t];
        touched[row] = false;
        adam(embedding, embeddingGrad, embeddingM, embeddingV, row * dim, row * dim + dim, stepSize, beta1, beta2, epsilon);
        adam(bias, biasGrad, biasM, biasV, row, row + 1, stepSize, beta1, beta2, epsilon);
      }
      touchedCount = 0;
    }

    /** One Adam step on {@code value[from, to)}, clearing the gradient it consumed. */
    private static void adam(float[] value, float[] grad, float[] m, float[] v, int from, int to, float stepSize, float beta1, float beta2,
        float epsilon) {
      for (int k = from; k < to; k++) {
        float g = grad[k];
        float mk = beta1 * m[k] + (1 - beta1) * g;
        float vk = beta2 * v[k] + (1 - beta2) * g * g;
        m[k] = mk;
        v[k] = vk;
        value[k] -= stepSize * mk / ((float) Math.sqrt(vk) + epsilon);
        grad[k] = 0;
      }
    }
  }
}
