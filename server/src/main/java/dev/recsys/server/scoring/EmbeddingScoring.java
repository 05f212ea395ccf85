package dev.recsys.server.scoring;

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

  int items();

  /** "cpu", "cpu (batched)" or "gpu"; after a device failure, "cpu (fallback: ... failed: ...)". */
  String device();

  /** Whether a device failed and the CPU kernel scores instead ({@link BatchedScoring}). */
  default boolean fellBack() {
    return false;
  }

  @Override
  void close();
}
