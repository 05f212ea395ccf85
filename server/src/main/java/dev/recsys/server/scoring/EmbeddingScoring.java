package dev.recsys.server.scoring;

import dev.recsys.models.scoring.TopK;

/**
 * Scores a user vector against every movie of one model version. Thread-safe. {@link #close()}
 * releases device memory and must only be called once no request uses the instance.
 */
public interface EmbeddingScoring extends AutoCloseable {

  /**
   * Writes one score per movie into {@code out}; may wait for a batch to form, but not past
   * {@code deadlineNanos} ({@link System#nanoTime()} based; {@link Long#MAX_VALUE} for none).
   *
   * @throws ScoringRejectedException when the batch queue is full
   * @throws java.util.concurrent.TimeoutException when the deadline passes first
   */
  void score(float[] user, float[] out, long deadlineNanos) throws InterruptedException, java.util.concurrent.TimeoutException;

  /**
   * The {@code k} best movies that {@code filter} accepts, best first, with their scores. This
   * default scores the catalogue into a buffer from {@code scratch} (at least {@link #items()} long)
   * and selects from it; the CPU kernel fuses the two ({@link dev.recsys.models.scoring.DotScorer#top})
   * and the device selects on the device, so neither asks for the buffer (on a virtual thread,
   * which keeps no buffer from call to call, asking would allocate one).
   */
  default TopK.Result top(float[] user, int k, TopK.Filter filter, java.util.function.Supplier<float[]> scratch, long deadlineNanos)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    float[] scores = scratch.get();
    score(user, scores, deadlineNanos);
    return TopK.top(scores, items(), k, filter);
  }

  int items();

  /** "cpu", "cpu (batched)" or "gpu"; after a device failure, "cpu (fallback: ... failed: ...)". */
  String device();

  /**
   * Batches run for this version and the requests they held (their ratio is the mean batch size);
   * both 0 when requests are not batched.
   */
  default BatchCounts batchCounts() {
    return BatchCounts.NONE;
  }

  /** @see #batchCounts() */
  record BatchCounts(long batches, long requests) {
    public static final BatchCounts NONE = new BatchCounts(0, 0);
  }

  /** Whether a device failed and the CPU kernel scores instead ({@link BatchedScoring}). */
  default boolean fellBack() {
    return false;
  }

  @Override
  void close();
}
