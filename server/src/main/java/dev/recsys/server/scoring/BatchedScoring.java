package dev.recsys.server.scoring;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.recsys.models.console.Messages;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.CandidateFilter;
import dev.recsys.models.scoring.TopK;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
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
   * @param genreMask with {@code top}: only movies in one of these genres (0: any genre)
   * @param removed with {@code top}: movies that must not come back (any order; empty for none)
   */
  record Request(float[] user, int top, long genreMask, int[] removed) {
    static Request wholeRow(float[] user) {
      return new Request(user, 0, 0, NONE);
    }
  }

  private static final int[] NONE = new int[0];

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
   * Movies brought back per requested one by {@link #top}, plus {@link #TOP_SLACK}, for a filter the
   * device cannot apply (one that is not a {@link CandidateFilter.Allowed}): it is applied on the host
   * to these, so a request whose filter leaves fewer than k of them gets its whole row instead.
   */
  static final int TOP_OVERFETCH = 4;
  static final int TOP_SLACK = 32;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchedScoring.class);

  private final int items;
  private final String deviceName;
  private final MicroBatcher<Request, Answer> batcher;
  private final EmbeddingScoring fallback;
  private volatile String fallbackReason;
  private final java.util.concurrent.atomic.AtomicLong wholeRows = new java.util.concurrent.atomic.AtomicLong();

  /**
   * The scorer around a device's batch function (the seam tests use to make a device fail).
   *
   * @param batch scores a batch of requests on the device, one answer per request, in order
   * @param free releases the device memory; run by the batcher's worker after its last batch
   * @param threads starts the batcher's worker
   */
  BatchedScoring(String deviceName, int items, java.util.function.Function<List<Request>, List<Answer>> batch, Runnable free,
      int batchSize, Duration maxDelay, int queueCapacity, EmbeddingScoring fallback, ThreadStarter threads) {
    this.deviceName = deviceName;
    this.items = items;
    this.fallback = fallback;
    this.batcher = new MicroBatcher<>("scoring-batcher-" + deviceName, batchSize, maxDelay, queueCapacity, batch, free, threads);
  }

  /**
   * Copies {@code model}'s movie side onto {@code device}.
   *
   * @param fallback the CPU kernel of the same model, used once the device fails
   * @param threads starts the batcher's worker
   */
  public static BatchedScoring of(DotScorer model, long[] genreMasks, Device device, int batchSize, Duration maxDelay,
      int queueCapacity, EmbeddingScoring fallback, ThreadStarter threads) {
    DeviceMatrix matrix = new DeviceMatrix(model, genreMasks, device);
    try {
      return new BatchedScoring(device.isGpu() ? "gpu" : "cpu (batched)", model.items(), matrix::score, matrix::close, batchSize, maxDelay,
          queueCapacity, fallback, threads);
    } catch (RuntimeException e) {
      // The batcher's thread did not start: nothing else would free the device copy.
      matrix.close();
      throw e;
    }
  }

  /**
   * The movie side on a DJL device, and the batched product with it. Requests' filters become a mask
   * on the device: each genre the catalogue uses is a row of 0/1 per movie, plus a last row of ones
   * that a request without a genre filter selects, so one {@code b x (genres + 1)} product says which
   * movies each request accepts; excluded movies are set to -infinity by position.
   */
  private static final class DeviceMatrix {
    private final NDManager manager;
    private final NDArray itemsT;
    private final NDArray biases;
    private final NDArray genreRows;
    /** The genre bits the catalogue uses, in the order of {@link #genreRows}' rows. */
    private final int[] genreBits;
    private final int items;
    private final int dim;
    private final Device device;

    DeviceMatrix(DotScorer model, long[] genreMasks, Device device) {
      this.device = device;
      this.manager = NDManager.newBaseManager(device, "PyTorch");
      this.items = model.items();
      this.dim = model.dim();
      long used = 0;
      for (long mask : genreMasks) {
        used |= mask;
      }
      this.genreBits = new int[Long.bitCount(used)];
      for (int g = 0; used != 0; used &= used - 1) {
        genreBits[g++] = Long.numberOfTrailingZeros(used);
      }
      // Built as bytes on the host (a quarter of the floats' memory: 210 MB at 10M movies and 20
      // genres), made floats on the device for the product.
      byte[] rows = new byte[(genreBits.length + 1) * items];
      for (int g = 0; g < genreBits.length; g++) {
        for (int m = 0; m < items; m++) {
          rows[g * items + m] = (byte) (genreMasks[m] >>> genreBits[g] & 1L);
        }
      }
      java.util.Arrays.fill(rows, genreBits.length * items, rows.length, (byte) 1);
      try {
        // Kept transposed once, owned by this manager: freed when it is closed.
        // A row-major copy made for the upload only: the host keeps the kernel's copy alone.
        this.itemsT = manager.create(model.rowMajor(), new Shape(items, dim)).transpose();
        this.biases = manager.create(model.biases(), new Shape(items));
        try (NDArray bytes = manager.create(rows, new Shape(genreBits.length + 1, items))) {
          this.genreRows = bytes.toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
        }
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }

    /** Scores of movies a request does not accept become -infinity (top-k then never picks them first). */
    private NDArray masked(NDManager scope, List<Request> requests, NDArray scores) {
      int b = requests.size();
      boolean anyGenre = false;
      int removed = 0;
      for (Request r : requests) {
        anyGenre |= r.genreMask() != 0;
        removed += r.removed().length;
      }
      if (anyGenre) {
        int width = genreBits.length + 1;
        float[] wanted = new float[b * width];
        for (int i = 0; i < b; i++) {
          long mask = requests.get(i).genreMask();
          if (mask == 0) {
            wanted[i * width + genreBits.length] = 1f;
          }
          for (int g = 0; g < genreBits.length; g++) {
            wanted[i * width + g] = (mask >>> genreBits[g] & 1L) != 0 ? 1f : 0f;
          }
        }
        NDArray accepted = scope.create(wanted, new Shape(b, width)).matMul(genreRows).gt(0.5f);
        scores = ai.djl.ndarray.NDArrays.where(accepted, scores, scope.full(scores.getShape(), Float.NEGATIVE_INFINITY));
      }
      if (removed > 0) {
        long[] positions = new long[removed];
        int p = 0;
        for (int i = 0; i < b; i++) {
          for (int m : requests.get(i).removed()) {
            positions[p++] = (long) i * items + m;
          }
        }
        NDArray flat = scores.reshape(-1).put(scope.create(positions), scope.full(new Shape(removed), Float.NEGATIVE_INFINITY));
        scores = flat.reshape(b, items);
      }
      return scores;
    }

    /**
     * One matrix product for the whole batch; rows wanted whole are copied back whole, and for the
     * others only their best movies, selected on the device (k per request, not N).
     */
    List<Answer> score(List<Request> requests) {
      int b = requests.size();
      float[] flat = new float[b * dim];
      int top = 0;
      for (int i = 0; i < b; i++) {
        System.arraycopy(requests.get(i).user(), 0, flat, i * dim, dim);
        top = Math.max(top, requests.get(i).top());
      }
      try (NDManager scope = manager.newSubManager(device)) {
        NDArray scores = scope.create(flat, new Shape(b, dim)).matMul(itemsT).add(biases);
        // Only the rows wanted whole come back whole, one at a time: copying the whole b x N matrix
        // for one such request cost 1.3 GB a batch at 10M movies (and past 2^31 bytes, the batch).
        float[][] wholeRows = new float[b][];
        for (int i = 0; i < b; i++) {
          if (requests.get(i).top() == 0) {
            wholeRows[i] = scores.get(i).toFloatArray();
          }
        }
        float[] bestScores = null;
        long[] bestMovies = null;
        if (top > 0) {
          NDList best = masked(scope, requests, scores).topK(Math.min(top, items), 1, true, true);
          bestScores = best.get(0).toFloatArray();
          bestMovies = best.get(1).toLongArray();
        }
        int width = Math.min(top, items);
        List<Answer> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
          Request r = requests.get(i);
          if (r.top() == 0) {
            out.add(Answer.all(wholeRows[i]));
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
    Answer answer = await(Request.wholeRow(user), deadlineNanos);
    if (answer == null) {
      fallback.score(user, out, deadlineNanos);
    } else {
      System.arraycopy(answer.scores(), 0, out, 0, items);
    }
  }

  /**
   * Only the best k movies per request come back from the device. A {@link CandidateFilter.Allowed}
   * filter is applied there as a mask (genres, rated and excluded movies), so these k are the answer.
   * Any other filter is applied here to the best {@code TOP_OVERFETCH * k + TOP_SLACK}; when fewer
   * than k of those pass, the whole row is fetched and selected from: the answer is always exact.
   */
  @Override
  public TopK.Result top(float[] user, int k, TopK.Filter filter, java.util.function.Supplier<float[]> scratch, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    boolean onDevice = filter == TopK.Filter.ALL || filter instanceof CandidateFilter.Allowed;
    int want = (int) Math.min(items, onDevice ? k : (long) TOP_OVERFETCH * k + TOP_SLACK);
    Request request = filter instanceof CandidateFilter.Allowed a ? new Request(user, want, a.genreMask(), a.removed())
        : new Request(user, want, 0, NONE);
    Answer answer = await(request, deadlineNanos);
    if (answer == null) {
      return fallback.top(user, k, filter, scratch, deadlineNanos);
    }
    // TopK takes indexes in rising order (ties go to the lower one): re-sort the few candidates,
    // each packed as (movie, position) into one long.
    long[] order = new long[answer.movies().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = (long) answer.movies()[i] << 32 | i;
    }
    java.util.Arrays.sort(order);
    TopK selection = new TopK(k, filter);
    for (long packed : order) {
      selection.offer((int) (packed >>> 32), answer.scores()[(int) packed]);
    }
    TopK.Result result = selection.result();
    if (result.size() < k && want < items && !onDevice) {
      wholeRows.incrementAndGet();
      return EmbeddingScoring.super.top(user, k, filter, scratch, deadlineNanos);
    }
    return result;
  }

  /** The device's answer, or null when this version scores on the CPU (the device failed, now or before). */
  private Answer await(Request request, long deadlineNanos) throws InterruptedException, TimeoutException {
    if (fallbackReason != null) {
      return null;
    }
    try {
      return batcher.call(request, deadlineNanos);
    } catch (IllegalStateException stopped) {
      fallBack(stopped);
      return null;
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

  @Override
  public BatchCounts batchCounts() {
    return new BatchCounts(batcher.batches(), batcher.batchedRequests());
  }

  /** Requests whose filter the device could not apply and whose k best were fetched as whole rows. */
  long wholeRowsFetched() {
    return wholeRows.get();
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
