package dev.recsys.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Recent answers for hot keys, served for a short time to live. The key must include the model
 * version and everything the answer depends on. Disabled (computes every time) when size or TTL is 0.
 *
 * @param <V> the cached answer
 */
public final class ResultCache<V> {

  private final Cache<Object, V> cache;

  public ResultCache(long maximumSize, Duration ttl) {
    this.cache = maximumSize == 0 || ttl.isZero() ? null
        : Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).recordStats().build();
  }

  public boolean enabled() {
    return cache != null;
  }

  public Cache<?, ?> cache() {
    return cache;
  }

  /** The cached answer, or a freshly computed one (which is then cached). */
  public V get(Object key, Supplier<V> compute) {
    if (cache == null) {
      return compute.get();
    }
    V hit = cache.getIfPresent(key);
    if (hit != null) {
      return hit;
    }
    V value = compute.get();
    cache.put(key, value);
    return value;
  }
}
