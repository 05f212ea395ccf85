package dev.recsys.server.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachesTest {

  /** Eviction (and so all maintenance) happens on the thread that wrote, before the write returns. */
  @Test
  void maintenance_runsOnTheCallingThread() {
    List<Thread> evictedOn = Collections.synchronizedList(new ArrayList<>());
    Cache<Integer, String> cache = Caches.newBuilder().maximumSize(1)
        .<Integer, String>removalListener((key, value, cause) -> evictedOn.add(Thread.currentThread())).build();
    for (int i = 0; i < 5; i++) {
      cache.put(i, "v" + i);
    }
    assertEquals(1, cache.asMap().size(), "evicted before put returned");
    assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), Thread.currentThread(), Thread.currentThread()), evictedOn);
  }
}
