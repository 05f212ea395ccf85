package dev.recsys.server.scoring;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.recsys.models.console.Messages;
import dev.recsys.models.embedding.EmbeddingTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DJL scoring on a device: the ranking model's movie embeddings and biases (read from the version's
 * data files, never from TorchScript, which is code) are copied onto the device once, and concurrent
 * requests are gathered by a {@link MicroBatcher} into one {@code users x dim} matrix multiplied by
 * them. On a GPU this amortises the launch and transfer cost over the batch; on the CPU it exists so
 * the batched path is tested and can be compared.
 */
public final class BatchedScoring implements EmbeddingScoring {

  private final NDManager manager;
  private final NDArray itemsT;
  private final NDArray biases;
  private final int items;
  private final int dim;
  private final Device device;
  private final MicroBatcher<float[], float[]> batcher;

  private BatchedScoring(EmbeddingTables model, Device device, int batchSize, Duration maxDelay, int queueCapacity) {
    this.device = device;
    this.manager = NDManager.newBaseManager(device, "PyTorch");
    this.items = model.items();
    this.dim = model.dim();
    try {
      // Kept transposed once, owned by this scorer's manager: freed when it is closed.
      this.itemsT = manager.create(model.itemEmbeddings(), new Shape(items, dim)).transpose();
      this.biases = manager.create(model.itemBiases(), new Shape(items));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.batcher = new MicroBatcher<>("scoring-batcher-" + device, batchSize, maxDelay, queueCapacity, this::scoreBatch);
  }

  /** Copies {@code model}'s movie side onto {@code device}. */
  public static BatchedScoring of(EmbeddingTables model, Device device, int batchSize, Duration maxDelay, int queueCapacity) {
    return new BatchedScoring(model, device, batchSize, maxDelay, queueCapacity);
  }

  private List<float[]> scoreBatch(List<float[]> users) {
    int b = users.size();
    float[] flat = new float[b * dim];
    for (int i = 0; i < b; i++) {
      System.arraycopy(users.get(i), 0, flat, i * dim, dim);
    }
    try (NDManager scope = manager.newSubManager(device)) {
      NDArray u = scope.create(flat, new Shape(b, dim));
      float[] all = u.matMul(itemsT).add(biases).toFloatArray();
      List<float[]> out = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        float[] row = new float[items];
        System.arraycopy(all, i * items, row, 0, items);
        out.add(row);
      }
      return out;
    }
  }

  @Override
  public void score(float[] user, float[] out, long deadlineNanos) throws InterruptedException, TimeoutException {
    var future = batcher.submit(user);
    try {
      long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
      System.arraycopy(future.get(wait, TimeUnit.NANOSECONDS), 0, out, 0, items);
    } catch (InterruptedException | TimeoutException e) {
      // A request that gave up is skipped by the batcher if it has not run yet.
      future.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("batched scoring failed: " + Messages.describe(e.getCause()), e.getCause());
    }
  }

  @Override
  public int items() {
    return items;
  }

  @Override
  public String device() {
    return device.isGpu() ? "gpu" : "cpu (batched)";
  }

  @Override
  public void close() {
    batcher.close();
    manager.close();
  }
}
