package dev.recsys.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Recent answers for hot keys, served for a short time to live. The key must include the model
 * version and everything the answer depends on. Disabled (computes every time) when size or TTL is 0.
 *
 * <p>Bounded by bytes, not by entries: {@code maximumSize} answers of up to {@link
 * #BYTES_PER_ENTRY} each, and an answer counts by its size (a k = 500 list is about 25 KB, a k = 10
 * one about 700 bytes), so large answers cannot make the cache hold hundreds of megabytes.
 *
 * @param <V> the cached answer
 */
public final class ResultCache<V> {

  /** Bytes budgeted per entry of {@code maximumSize}; a typical answer (k up to 50) is below it. */
  public static final int BYTES_PER_ENTRY = 4096;

  /** What an entry costs beyond its answer's bytes (key, node, references). */
  static final int ENTRY_OVERHEAD_BYTES = 128;

  private final Cache<Object, V> cache;

  /**
   * @param maximumSize answers of typical size kept at most; the bound is {@code maximumSize x
   *     BYTES_PER_ENTRY} bytes
   * @param bytes the size of an answer
   */
  public ResultCache(long maximumSize, Duration ttl, java.util.function.ToIntFunction<V> bytes) {
    this.cache = maximumSize == 0 || ttl.isZero() ? null
        : Caches.newBuilder()
            .maximumWeight(Math.multiplyExact(maximumSize, (long) BYTES_PER_ENTRY))
            .<Object, V>weigher((key, value) -> ENTRY_OVERHEAD_BYTES + bytes.applyAsInt(value))
            .expireAfterWrite(ttl)
            .recordStats()
            .build();
  }

  public boolean enabled() {
    return cache != null;
  }

  public Cache<?, ?> cache() {
    return cache;
  }

  /**
   * The cached answer, or a freshly computed one (which is then cached). Single-flight: while one
   * caller computes a key's answer, concurrent callers of the same key wait for it instead of
   * computing it too (a hot user's entry expiring no longer sends every caller to the scorer at
   * once). An exception from {@code compute} reaches the caller and caches nothing. The key is only
   * made when the cache is on ({@code key} is not called otherwise).
   */
  public V get(Supplier<?> key, Supplier<V> compute) {
    if (cache == null) {
      return compute.get();
    }
    return cache.get(key.get(), k -> compute.get());
  }
}
