package dev.recsys.server.scoring;

import dev.recsys.models.console.Messages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent requests into batches: one worker thread takes the first waiting request, then
 * keeps adding requests until the batch holds {@code maxBatch} or {@code maxDelay} has passed since
 * that first request <em>arrived</em> (time it spent queued behind the previous batch counts), and
 * runs the batch function once for all of them. A full queue rejects at once
 * ({@link ScoringRejectedException}) instead of growing. Requests cancelled while waiting are
 * skipped. The design follows DJL Serving's WorkLoadManager (job queue, batch size, max delay).
 *
 * <p>Failure and lifetime: whatever the batch function throws, {@link Error}s included (a device
 * out of memory, a native failure), completes that batch's futures exceptionally and the worker
 * goes on. If the worker itself ever stops, every waiting and later request fails at once
 * ({@link #failure()} says why): no caller waits on a batcher that no longer runs. The
 * {@code onStop} action (freeing device memory) runs on the worker thread after its last batch, so
 * memory a batch is using is never freed under it, however long that batch takes.
 *
 * @param <I> request type
 * @param <O> result type
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

  private record Job<I, O>(I input, CompletableFuture<O> result, long arrivedNanos) {}

  private final String name;
  private final BlockingQueue<Job<I, O>> queue;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final Function<List<I>, List<O>> batchFunction;
  private final Runnable onStop;
  private final Thread worker;
  private volatile boolean closed;
  private volatile Throwable failure;
  // Written by the worker, read at scrape time.
  private final java.util.concurrent.atomic.LongAdder batches = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder batchedRequests = new java.util.concurrent.atomic.LongAdder();

  /**
   * @param batchFunction computes one result per input, in order; called from the worker thread only
   * @param onStop run once by the worker thread after its last batch (e.g. frees device memory)
   * @param threads starts the worker thread
   */
  public MicroBatcher(String name, int maxBatch, Duration maxDelay, int queueCapacity, Function<List<I>, List<O>> batchFunction,
      Runnable onStop, ThreadStarter threads) {
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.batchFunction = batchFunction;
    this.onStop = onStop;
    this.worker = threads.start(name, this::run);
  }

  /** A batcher whose worker the calling thread starts. */
  public MicroBatcher(String name, int maxBatch, Duration maxDelay, int queueCapacity, Function<List<I>, List<O>> batchFunction,
      Runnable onStop) {
    this(name, maxBatch, maxDelay, queueCapacity, batchFunction, onStop, ThreadStarter.CALLER);
  }

  /** A batcher with nothing to release when it stops. */
  public MicroBatcher(String name, int maxBatch, Duration maxDelay, int queueCapacity, Function<List<I>, List<O>> batchFunction) {
    this(name, maxBatch, maxDelay, queueCapacity, batchFunction, () -> {});
  }

  /**
   * Queues a request.
   *
   * @throws ScoringRejectedException when the queue is full
   * @throws IllegalStateException when the batcher is closed or its worker stopped ({@link #failure()})
   */
  public CompletableFuture<O> submit(I input) {
    if (closed || failure != null) {
      throw new IllegalStateException(failure != null ? "batcher " + name + " stopped: " + Messages.describe(failure) : "batcher is closed");
    }
    CompletableFuture<O> result = new CompletableFuture<>();
    if (!queue.offer(new Job<>(input, result, System.nanoTime()))) {
      throw new ScoringRejectedException("scoring queue is full (" + queue.size() + " waiting)");
    }
    if (failure != null || closed) {
      // The worker stopped between the check above and the offer: nobody will take the job.
      failWaiting();
    }
    return result;
  }

  /**
   * Queues a request and waits for its result until {@code deadlineNanos} ({@link System#nanoTime()}
   * based; {@link Long#MAX_VALUE} for none). A caller that gives up cancels its request, which is
   * then skipped if its batch has not run.
   *
   * @throws ExecutionException the batch function failed for this request's batch (the cause)
   * @throws ScoringRejectedException when the queue is full
   * @throws IllegalStateException when the batcher is closed or its worker stopped
   */
  public O call(I input, long deadlineNanos) throws InterruptedException, java.util.concurrent.TimeoutException,
      java.util.concurrent.ExecutionException {
    CompletableFuture<O> future = submit(input);
    try {
      long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
      return future.get(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      future.cancel(false);
      throw e;
    }
  }

  /** Batches run so far. */
  public long batches() {
    return batches.sum();
  }

  /** Requests in the batches run so far (divided by {@link #batches()}: the mean batch size). */
  public long batchedRequests() {
    return batchedRequests.sum();
  }

  /** Why the worker stopped unexpectedly, or null while it runs (or after a normal close). */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    try {
      loop();
    } catch (Throwable t) {
      failure = t;
      LOG.error("batcher {} stopped: {}", name, Messages.describe(t), t);
    } finally {
      failWaiting();
      try {
        onStop.run();
      } catch (RuntimeException e) {
        LOG.warn("batcher {}: releasing its resources failed: {}", name, Messages.describe(e));
      }
    }
  }

  private void loop() {
    List<Job<I, O>> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        Job<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = first.arrivedNanos() + maxDelayNanos;
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
        // Requests already taken from the queue for a batch that will not run: failing them now lets
        // their callers fall back at once, instead of waiting out their deadlines (or for ever).
        IllegalStateException why = closed ? new IllegalStateException("batcher " + name + " closed")
            : new IllegalStateException("batcher " + name + ": worker interrupted", e);
        batch.forEach(job -> job.result().completeExceptionally(why));
        if (!closed) {
          throw why;
        }
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(List<Job<I, O>> batch) {
    List<I> inputs = new ArrayList<>(batch.size());
    for (Job<I, O> job : batch) {
      inputs.add(job.input());
    }
    batches.increment();
    batchedRequests.add(inputs.size());
    try {
      List<O> outputs = batchFunction.apply(inputs);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(outputs.get(i));
      }
    } catch (Throwable e) {
      // An Error too (out of memory on the device, a native failure): the callers learn it now;
      // the worker goes on, and the scorer decides whether to keep using the device.
      for (Job<I, O> job : batch) {
        job.result().completeExceptionally(e);
      }
    }
  }

  private void failWaiting() {
    Throwable why = failure != null ? failure : new IllegalStateException("batcher " + name + " closed");
    for (Job<I, O> job; (job = queue.poll()) != null; ) {
      job.result().completeExceptionally(why);
    }
  }

  /** Requests waiting. */
  public int queued() {
    return queue.size();
  }

  /**
   * Stops taking requests: waiting ones fail, the batch running finishes, then {@code onStop} runs
   * on the worker. Waits up to 5 s for that; a batch still running after it (a hung device) keeps
   * its memory until it returns.
   */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.warn("batcher {}: a batch is still running 5 s after close; its device memory is freed when it returns", name);
    }
  }
}
