package dev.recsys.server.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Recent answers for hot keys, served for a short time to live. The key must include the model
 * version and everything the answer depends on. Disabled (computes every time) when size or TTL is 0.
 *
 * <p>Bounded by bytes, not by entries: {@code maximumSize} answers of up to {@link
 * #BYTES_PER_ENTRY} each, and an answer counts by its size (a k = 500 list is about 25 KB, a k = 10
 * one about 700 bytes), so large answers cannot make the cache hold hundreds of megabytes. A key
 * that holds much (a request's exclusion list) says how much through {@link KeyBytes}.
 *
 * @param <V> the cached answer
 */
public final class ResultCache<V> {

  /** Bytes budgeted per entry of {@code maximumSize}; a typical answer (k up to 50) is below it. */
  public static final int BYTES_PER_ENTRY = 4096;

  /** What an entry costs beyond its answer's bytes (key, node, references). */
  static final int ENTRY_OVERHEAD_BYTES = 128;

  /** A key that holds more than a few fields, and how many bytes it holds (counted into its entry's weight). */
  public interface KeyBytes {
    int keyBytes();
  }

  private final AsyncCache<Object, V> cache;

  /**
   * @param maximumSize answers of typical size kept at most; the bound is {@code maximumSize x
   *     BYTES_PER_ENTRY} bytes
   * @param bytes the size of an answer
   */
  public ResultCache(long maximumSize, Duration ttl, java.util.function.ToIntFunction<V> bytes) {
    this.cache = maximumSize == 0 || ttl.isZero() ? null
        : Caches.newBuilder()
            .maximumWeight(Math.multiplyExact(maximumSize, (long) BYTES_PER_ENTRY))
            .<Object, V>weigher((key, value) -> ENTRY_OVERHEAD_BYTES + (key instanceof KeyBytes k ? k.keyBytes() : 0) + bytes.applyAsInt(value))
            .expireAfterWrite(ttl)
            .recordStats()
            .buildAsync();
  }

  public boolean enabled() {
    return cache != null;
  }

  /** The cache's synchronous view (sizes, statistics), or null when it is off. */
  public Cache<?, ?> cache() {
    return cache == null ? null : cache.synchronous();
  }

  /**
   * The cached answer, or a freshly computed one (which is then cached). Single-flight: while one
   * caller computes a key's answer, concurrent callers of the same key wait for it instead of
   * computing it too (a hot user's entry expiring no longer sends every caller to the scorer at
   * once), each until its own deadline. An exception from {@code compute} reaches its caller and
   * caches nothing; callers that were waiting for it compute the answer themselves (the failure,
   * a deadline say, was the other call's). The key is only made when the cache is on ({@code key}
   * is not called otherwise).
   *
   * @param deadlineNanos when a caller waiting for another call's computation gives up ({@link
   *     System#nanoTime()} clock; {@link Long#MAX_VALUE}: never)
   * @throws TimeoutException when the deadline passes while waiting for another call's computation
   */
  public V get(Supplier<?> key, Supplier<V> compute, long deadlineNanos) throws TimeoutException, InterruptedException {
    if (cache == null) {
      return compute.get();
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> answer = cache.get(key.get(), (k, executor) -> mine);
    if (answer == mine) {
      try {
        V value = compute.get();
        mine.complete(value);
        return value;
      } catch (RuntimeException | Error e) {
        // A future that fails leaves the cache: nothing is cached.
        mine.completeExceptionally(e);
        throw e;
      }
    }
    try {
      long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
      return answer.get(wait, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      return compute.get();
    } catch (TimeoutException e) {
      throw new TimeoutException("the deadline passed while waiting for the same answer, being computed for another call");
    }
  }
}
