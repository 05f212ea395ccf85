package dev.recsys.server.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResultCacheTest {

  @Test
  void boundedByBytes_smallAnswersFillEveryEntry_largeOnesCountForTheirSize() {
    ResultCache<byte[]> small = new ResultCache<>(10, Duration.ofMinutes(1), b -> b.length);
    for (int k = 0; k < 10; k++) {
      byte[] answer = new byte[500];
      String key = "key" + k;
      small.get(() -> key, () -> answer);
    }
    small.cache().cleanUp();
    assertEquals(10, small.cache().estimatedSize(), "ten typical answers fit ten entries");

    ResultCache<byte[]> large = new ResultCache<>(10, Duration.ofMinutes(1), b -> b.length);
    for (int k = 0; k < 10; k++) {
      byte[] answer = new byte[20_000];
      String key = "key" + k;
      large.get(() -> key, () -> answer);
    }
    large.cache().cleanUp();
    // 10 x 4 KiB of budget holds two 20 KB answers at most.
    assertTrue(large.cache().estimatedSize() <= 2, "large answers are bounded by bytes: " + large.cache().estimatedSize());
  }

  @Test
  void aHitIsServedWithoutComputing_andZeroSizeDisablesTheCache() {
    ResultCache<String> cache = new ResultCache<>(10, Duration.ofMinutes(1), String::length);
    AtomicInteger computed = new AtomicInteger();
    cache.get(() -> "k", () -> "v" + computed.incrementAndGet());
    assertEquals("v1", cache.get(() -> "k", () -> "v" + computed.incrementAndGet()));
    assertEquals(1, computed.get());
    ResultCache<String> off = new ResultCache<>(0, Duration.ofMinutes(1), String::length);
    assertFalse(off.enabled());
    off.get(() -> "k", () -> "v" + computed.incrementAndGet());
    off.get(() -> "k", () -> "v" + computed.incrementAndGet());
    assertEquals(3, computed.get());
  }

  @Test
  void concurrentMissesOfOneKey_computeItOnce_andAFailureCachesNothing() throws Exception {
    ResultCache<String> cache = new ResultCache<>(10, Duration.ofMinutes(1), String::length);
    AtomicInteger computed = new AtomicInteger();
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.List<Thread> callers = new java.util.ArrayList<>();
    java.util.List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      callers.add(Thread.ofVirtual().start(() -> answers.add(cache.get(() -> "hot user", () -> {
        computed.incrementAndGet();
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "answer";
      }))));
    }
    assertTrue(inside.await(5, java.util.concurrent.TimeUnit.SECONDS));
    Thread.sleep(100);
    release.countDown();
    for (Thread t : callers) {
      t.join(5_000);
    }
    assertEquals(1, computed.get(), "one computation for eight concurrent misses");
    assertEquals(java.util.Collections.nCopies(8, "answer"), answers);

    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> cache.get(() -> "failing", () -> { throw new IllegalStateException("scoring failed"); }));
    assertEquals("recomputed", cache.get(() -> "failing", () -> "recomputed"), "a failure is not cached");
    AtomicInteger keys = new AtomicInteger();
    new ResultCache<String>(0, Duration.ofMinutes(1), String::length).get(() -> "k" + keys.incrementAndGet(), () -> "v");
    assertEquals(0, keys.get(), "no key is made while the cache is off");
  }
}
