package dev.recsys.server.serving;

import dev.recsys.server.engine.ModelEngine;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One loaded version with a reference count: the snapshot that routes to it holds one reference,
 * each request in flight another. When the count reaches zero the engine is closed. Thread-safe.
 */
public final class LoadedModel {

  private final ModelEngine engine;
  private final Instant loadedAt;
  private final double loadSeconds;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicLong inFlight = new AtomicLong();
  /** Run once when the engine closes, in order: the loader's {@code onClose} first, then {@link #whenClosed} actions. */
  private final java.util.List<Runnable> whenClosed = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param onClose called once, after the engine is closed (for metrics and tests)
   */
  public LoadedModel(ModelEngine engine, Instant loadedAt, double loadSeconds, Runnable onClose) {
    this.engine = engine;
    this.loadedAt = loadedAt;
    this.loadSeconds = loadSeconds;
    this.whenClosed.add(onClose);
  }

  public ModelEngine engine() {
    return engine;
  }

  public long version() {
    return engine.version();
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  public double loadSeconds() {
    return loadSeconds;
  }

  /** Requests holding this version now. */
  public long inFlight() {
    return inFlight.get();
  }

  /** Takes a reference unless the model is already closed; false means "read the snapshot again". */
  boolean tryAcquire() {
    while (true) {
      int n = references.get();
      if (n == 0) {
        return false;
      }
      if (references.compareAndSet(n, n + 1)) {
        inFlight.incrementAndGet();
        return true;
      }
    }
  }

  /** Returns a request's reference. */
  void releaseRequest() {
    inFlight.decrementAndGet();
    release();
  }

  /** Returns a reference; the last one closes the engine. */
  void release() {
    int n = references.decrementAndGet();
    if (n == 0) {
      engine.close();
      whenClosed.forEach(Runnable::run);
    } else if (n < 0) {
      throw new IllegalStateException("version " + version() + " released more often than acquired");
    }
  }

  /** Runs {@code action} when this version closes (at once if it already has). */
  void whenClosed(Runnable action) {
    whenClosed.add(action);
    if (closed() && whenClosed.remove(action)) {
      action.run();
    }
  }

  /** True once closed. */
  public boolean closed() {
    return references.get() == 0;
  }
}
