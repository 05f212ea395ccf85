package dev.recsys.server.scoring;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.recsys.models.console.Messages;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.TopK;
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

  /**
   * One user's request in a batch.
   *
   * @param top how many best movies to bring back, best first; 0: every movie's score
   */
  record Request(float[] user, int top) {}

  /**
   * What the device sends back for one request.
   *
   * @param scores every movie's score, or the {@code top} best scores
   * @param movies null for every movie; else the movies of {@code scores}, best first
   */
  record Answer(float[] scores, int[] movies) {
    static Answer all(float[] scores) {
      return new Answer(scores, null);
    }
  }

  /**
   * Movies brought back per requested one by {@link #top}, plus {@link #TOP_SLACK}: filters are
   * applied on the host to these, so a request whose rated or excluded movies or genres leave fewer
   * than k of them gets its whole row instead (rare for k = 10: 72 candidates).
   */
  static final int TOP_OVERFETCH = 4;
  static final int TOP_SLACK = 32;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchedScoring.class);

  private final int items;
  private final String deviceName;
  private final MicroBatcher<Request, Answer> batcher;
  private final EmbeddingScoring fallback;
  private volatile String fallbackReason;

  /**
   * The scorer around a device's batch function (the seam tests use to make a device fail).
   *
   * @param batch scores a batch of requests on the device, one answer per request, in order
   * @param free releases the device memory; run by the batcher's worker after its last batch
   */
  BatchedScoring(String deviceName, int items, java.util.function.Function<List<Request>, List<Answer>> batch, Runnable free,
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

    /**
     * One matrix product for the whole batch; rows wanted whole are copied back whole, and for the
     * others only their best movies, selected on the device (k per request, not N).
     */
    List<Answer> score(List<Request> requests) {
      int b = requests.size();
      float[] flat = new float[b * dim];
      int top = 0;
      boolean anyAll = false;
      for (int i = 0; i < b; i++) {
        System.arraycopy(requests.get(i).user(), 0, flat, i * dim, dim);
        top = Math.max(top, requests.get(i).top());
        anyAll |= requests.get(i).top() == 0;
      }
      try (NDManager scope = manager.newSubManager(device)) {
        NDArray scores = scope.create(flat, new Shape(b, dim)).matMul(itemsT).add(biases);
        float[] all = anyAll ? scores.toFloatArray() : null;
        float[] bestScores = null;
        long[] bestMovies = null;
        if (top > 0) {
          NDList best = scores.topK(Math.min(top, items), 1, true, true);
          bestScores = best.get(0).toFloatArray();
          bestMovies = best.get(1).toLongArray();
        }
        int width = Math.min(top, items);
        List<Answer> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
          Request r = requests.get(i);
          if (r.top() == 0) {
            float[] row = new float[items];
            System.arraycopy(all, i * items, row, 0, items);
            out.add(Answer.all(row));
          } else {
            int n = Math.min(r.top(), items);
            float[] rowScores = new float[n];
            int[] rowMovies = new int[n];
            System.arraycopy(bestScores, i * width, rowScores, 0, n);
            for (int j = 0; j < n; j++) {
              rowMovies[j] = (int) bestMovies[i * width + j];
            }
            out.add(new Answer(rowScores, rowMovies));
          }
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
    Answer answer = await(new Request(user, 0), deadlineNanos);
    if (answer == null) {
      fallback.score(user, out, deadlineNanos);
    } else {
      System.arraycopy(answer.scores(), 0, out, 0, items);
    }
  }

  /**
   * The device selects the best {@code TOP_OVERFETCH * k + TOP_SLACK} movies and only those come
   * back; the filter is applied to them here. When fewer than k pass it (a heavy rater, a rare
   * genre), the whole row is fetched and selected from: the answer is always exact.
   */
  @Override
  public TopK.Result top(float[] user, int k, TopK.Filter filter, float[] scratch, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    int want = (int) Math.min(items, (long) TOP_OVERFETCH * k + TOP_SLACK);
    Answer answer = await(new Request(user, want), deadlineNanos);
    if (answer == null) {
      return fallback.top(user, k, filter, scratch, deadlineNanos);
    }
    // TopK takes indexes in rising order (ties go to the lower one): re-sort the few candidates.
    Integer[] order = new Integer[answer.movies().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> answer.movies()[i]));
    TopK selection = new TopK(k, filter);
    for (int i : order) {
      selection.offer(answer.movies()[i], answer.scores()[i]);
    }
    TopK.Result result = selection.result();
    if (result.size() < k && want < items) {
      return EmbeddingScoring.super.top(user, k, filter, scratch, deadlineNanos);
    }
    return result;
  }

  /** The device's answer, or null when this version scores on the CPU (the device failed, now or before). */
  private Answer await(Request request, long deadlineNanos) throws InterruptedException, TimeoutException {
    if (fallbackReason != null) {
      return null;
    }
    java.util.concurrent.CompletableFuture<Answer> future;
    try {
      future = batcher.submit(request);
    } catch (IllegalStateException stopped) {
      fallBack(stopped);
      return null;
    }
    try {
      long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
      return future.get(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException | TimeoutException e) {
      // A request that gave up is skipped by the batcher if it has not run yet.
      future.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      fallBack(e.getCause());
      return null;
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
