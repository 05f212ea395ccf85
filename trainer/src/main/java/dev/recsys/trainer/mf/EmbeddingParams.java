package dev.recsys.trainer.mf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.recsys.models.embedding.EmbeddingTables;
import java.util.SplittableRandom;

/**
 * The trainable tensors of a biased embedding model: user and item embeddings and biases, created
 * with gradients on. The global bias is a constant (the training mean for ratings, 0 for ranking).
 */
final class EmbeddingParams implements AutoCloseable {

  final int users;
  final int items;
  final int dim;
  final float globalBias;
  final NDArray userEmb;
  final NDArray itemEmb;
  final NDArray userBias;
  final NDArray itemBias;

  EmbeddingParams(NDManager manager, int users, int items, int dim, float globalBias, float initStd, long seed) {
    this.users = users;
    this.items = items;
    this.dim = dim;
    this.globalBias = globalBias;
    // Initialised in Java from a seeded generator, so runs are reproducible whatever the engine.
    SplittableRandom random = new SplittableRandom(seed);
    userEmb = trainable(manager, gaussian(random, users * dim, initStd), users, dim);
    itemEmb = trainable(manager, gaussian(random, items * dim, initStd), items, dim);
    userBias = trainable(manager, new float[users], users);
    itemBias = trainable(manager, new float[items], items);
  }

  /** Parameters starting from an existing model (fine-tuning). */
  EmbeddingParams(NDManager manager, EmbeddingTables start) {
    this.users = start.users();
    this.items = start.items();
    this.dim = start.dim();
    this.globalBias = start.globalBias();
    userEmb = trainable(manager, start.userEmbeddings().clone(), users, dim);
    itemEmb = trainable(manager, start.itemEmbeddings().clone(), items, dim);
    userBias = trainable(manager, start.userBiases().clone(), users);
    itemBias = trainable(manager, start.itemBiases().clone(), items);
  }

  private static NDArray trainable(NDManager manager, float[] values, long... shape) {
    NDArray a = manager.create(values, new ai.djl.ndarray.types.Shape(shape));
    a.setRequiresGradient(true);
    return a;
  }

  private static float[] gaussian(SplittableRandom random, int n, float std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    return v;
  }

  /**
   * Rows {@code index} of a table (2-D) or entries of a vector (1-D), through libtorch's embedding
   * op: its backward is a dense scatter-add, several times faster on CPU than the backward of
   * advanced indexing.
   */
  static NDArray rows(NDArray table, NDArray index) {
    // Temporaries belong to the index's (per-batch) manager, so they are freed with the batch.
    NDManager scope = index.getManager();
    if (table.getShape().dimension() == 1) {
      NDArray column = table.reshape(-1, 1);
      column.attach(scope);
      NDArray rows = column.getNDArrayInternal().embedding(index, column, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
      rows.attach(scope);
      return rows.reshape(-1);
    }
    NDArray rows = table.getNDArrayInternal().embedding(index, table, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
    rows.attach(scope);
    return rows;
  }

  NDArray[] all() {
    return new NDArray[] {userEmb, itemEmb, userBias, itemBias};
  }

  static String[] names() {
    return new String[] {"user_emb", "item_emb", "user_bias", "item_bias"};
  }

  /** A copy of the current values as plain arrays. */
  EmbeddingTables snapshot() {
    return new EmbeddingTables(
        users, items, dim, userEmb.toFloatArray(), itemEmb.toFloatArray(), userBias.toFloatArray(),
        itemBias.toFloatArray(), globalBias);
  }

  @Override
  public void close() {
    for (NDArray a : all()) {
      a.close();
    }
  }
}
