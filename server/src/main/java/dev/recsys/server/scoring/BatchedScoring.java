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
 *
 * <p>A device that fails (a CUDA error, device memory exhausted, the batcher's worker stopping) does
 * not fail calls: the failed batch's requests, and every later one, are scored by the CPU kernel of
 * the same version, and {@link #device()} and {@link #fellBack()} say so (GetServingStatus and the
 * {@code recsys_scoring_fallback} metric show it). The device memory is freed by the batcher's
 * worker after its last batch, never under a running one.
 */
public final class BatchedScoring implements EmbeddingScoring {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchedScoring.class);

  private final int items;
  private final String deviceName;
  private final MicroBatcher<float[], float[]> batcher;
  private final EmbeddingScoring fallback;
  private volatile String fallbackReason;

  /**
   * The scorer around a device's batch function (the seam tests use to make a device fail).
   *
   * @param batch scores a batch of user vectors on the device, one row of {@code items} per user
   * @param free releases the device memory; run by the batcher's worker after its last batch
   */
  BatchedScoring(String deviceName, int items, java.util.function.Function<List<float[]>, List<float[]>> batch, Runnable free,
      int batchSize, Duration maxDelay, int queueCapacity, EmbeddingScoring fallback) {
    this.deviceName = deviceName;
    this.items = items;
    this.fallback = fallback;
    this.batcher = new MicroBatcher<>("scoring-batcher-" + deviceName, batchSize, maxDelay, queueCapacity, batch, free);
  }

  /**
   * Copies {@code model}'s movie side onto {@code device}.
   *
   * @param fallback the CPU kernel of the same model, used once the device fails
   */
  public static BatchedScoring of(EmbeddingTables model, Device device, int batchSize, Duration maxDelay, int queueCapacity,
      EmbeddingScoring fallback) {
    DeviceMatrix matrix = new DeviceMatrix(model, device);
    return new BatchedScoring(device.isGpu() ? "gpu" : "cpu (batched)", model.items(), matrix::score, matrix::close, batchSize, maxDelay,
        queueCapacity, fallback);
  }

  /** The movie side on a DJL device, and the batched product with it. */
  private static final class DeviceMatrix {
    private final NDManager manager;
    private final NDArray itemsT;
    private final NDArray biases;
    private final int items;
    private final int dim;
    private final Device device;

    DeviceMatrix(EmbeddingTables model, Device device) {
      this.device = device;
      this.manager = NDManager.newBaseManager(device, "PyTorch");
      this.items = model.items();
      this.dim = model.dim();
      try {
        // Kept transposed once, owned by this manager: freed when it is closed.
        this.itemsT = manager.create(model.itemEmbeddings(), new Shape(items, dim)).transpose();
        this.biases = manager.create(model.itemBiases(), new Shape(items));
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }

    List<float[]> score(List<float[]> users) {
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

    void close() {
      manager.close();
    }
  }

  @Override
  public void score(float[] user, float[] out, long deadlineNanos) throws InterruptedException, TimeoutException {
    if (fallbackReason != null) {
      fallback.score(user, out, deadlineNanos);
      return;
    }
    java.util.concurrent.CompletableFuture<float[]> future;
    try {
      future = batcher.submit(user);
    } catch (IllegalStateException stopped) {
      fallBack(stopped);
      fallback.score(user, out, deadlineNanos);
      return;
    }
    try {
      long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
      System.arraycopy(future.get(wait, TimeUnit.NANOSECONDS), 0, out, 0, items);
    } catch (InterruptedException | TimeoutException e) {
      // A request that gave up is skipped by the batcher if it has not run yet.
      future.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      fallBack(e.getCause());
      fallback.score(user, out, deadlineNanos);
    }
  }

  /** From now on this version scores on the CPU; logged once, with the device's error. */
  private void fallBack(Throwable cause) {
    synchronized (this) {
      if (fallbackReason != null) {
        return;
      }
      fallbackReason = Messages.describe(cause);
    }
    LOG.error("scoring on {} failed ({}); this version scores on the CPU from now on", deviceName, fallbackReason, cause);
    // Release the device now (the batcher frees its memory after the batch it may still be running);
    // off the request thread, as closing waits for that batch.
    Thread.ofVirtual().name("scoring-batcher-close").start(batcher::close);
  }

  /** Whether the device failed and the CPU kernel scores instead. */
  @Override
  public boolean fellBack() {
    return fallbackReason != null;
  }

  @Override
  public int items() {
    return items;
  }

  @Override
  public String device() {
    String reason = fallbackReason;
    return reason == null ? deviceName : "cpu (fallback: " + deviceName + " failed: " + reason + ")";
  }

  @Override
  public void close() {
    // The device memory is freed by the batcher's worker once its last batch has returned.
    batcher.close();
  }
}
