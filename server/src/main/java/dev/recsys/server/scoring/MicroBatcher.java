package dev.recsys.server.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gathers concurrent requests into batches: one worker thread takes the first waiting request, then
 * keeps adding requests until the batch holds {@code maxBatch} or {@code maxDelay} has passed since
 * the first was taken, and runs the batch function once for all of them. A full queue rejects at
 * once ({@link ScoringRejectedException}) instead of growing. Requests cancelled while waiting are
 * skipped. The design follows DJL Serving's WorkLoadManager (job queue, batch size, max delay).
 *
 * @param <I> request type
 * @param <O> result type
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

  private record Job<I, O>(I input, CompletableFuture<O> result) {}

  private final BlockingQueue<Job<I, O>> queue;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final Function<List<I>, List<O>> batchFunction;
  private final Thread worker;
  private volatile boolean closed;

  /**
   * @param batchFunction computes one result per input, in order; called from the worker thread only
   */
  public MicroBatcher(String name, int maxBatch, Duration maxDelay, int queueCapacity, Function<List<I>, List<O>> batchFunction) {
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.batchFunction = batchFunction;
    this.worker = Thread.ofPlatform().name(name).daemon().start(this::run);
  }

  /** Queues a request. */
  public CompletableFuture<O> submit(I input) {
    if (closed) {
      throw new IllegalStateException("batcher is closed");
    }
    CompletableFuture<O> result = new CompletableFuture<>();
    if (!queue.offer(new Job<>(input, result))) {
      throw new ScoringRejectedException("scoring queue is full (" + queue.size() + " waiting)");
    }
    return result;
  }

  private void run() {
    List<Job<I, O>> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        Job<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < maxBatch) {
          long wait = deadline - System.nanoTime();
          Job<I, O> next = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        batch.removeIf(job -> job.result().isDone());
        if (!batch.isEmpty()) {
          runBatch(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    for (Job<I, O> job : queue) {
      job.result().completeExceptionally(new IllegalStateException("batcher closed"));
    }
  }

  private void runBatch(List<Job<I, O>> batch) {
    List<I> inputs = new ArrayList<>(batch.size());
    for (Job<I, O> job : batch) {
      inputs.add(job.input());
    }
    try {
      List<O> outputs = batchFunction.apply(inputs);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(outputs.get(i));
      }
    } catch (RuntimeException e) {
      for (Job<I, O> job : batch) {
        job.result().completeExceptionally(e);
      }
    }
  }

  /** Requests waiting. */
  public int queued() {
    return queue.size();
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
