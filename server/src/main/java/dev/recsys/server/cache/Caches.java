package dev.recsys.server.cache;

import com.github.benmanes.caffeine.cache.Caffeine;

/** How the server's Caffeine caches are built. */
public final class Caches {

  private Caches() {}

  /**
   * A Caffeine builder whose maintenance (draining the read and write buffers, evicting, expiring)
   * runs on the calling thread, a few entries at a time, instead of being handed to {@code
   * ForkJoinPool.commonPool()}: the handoff woke a pool thread 0.65-0.81 times per {@code Recommend}
   * at 3,000 calls/s (the per-movie lookups of {@code ProtoMapping} filled a read buffer every call or
   * two), and a wake-up on a machine with few cores is a context switch and a scheduling delay that
   * cost more than the work it hands over (docs/benchmarks.md).
   */
  public static Caffeine<Object, Object> newBuilder() {
    return Caffeine.newBuilder().executor(Runnable::run);
  }
}
