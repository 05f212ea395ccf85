package dev.recsys.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import dev.recsys.server.engine.VectorCache;

/** One bounded Caffeine cache of vectors folded in from rating profiles, shared by all versions, with a view per version. */
public final class VectorCaches {

  record Key(long version, String space, long high, long low) {}

  private final Cache<Key, float[]> cache;

  public VectorCaches(long maximumSize) {
    this.cache = Caches.newBuilder().maximumSize(maximumSize).recordStats().build();
  }

  public Cache<?, ?> cache() {
    return cache;
  }

  /** The view of one version: its keys carry the version. */
  public VectorCache forVersion(long version) {
    return (key, compute) -> cache.get(new Key(version, key.space(), key.high(), key.low()), k -> compute.get());
  }

  /** Drops a retired version's vectors at once instead of letting them age out. */
  public void evictVersion(long version) {
    cache.asMap().keySet().removeIf(k -> k.version() == version);
  }
}
