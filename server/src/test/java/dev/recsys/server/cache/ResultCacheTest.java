package dev.recsys.server.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResultCacheTest {

  /** A lookup without a deadline. */
  private static <V> V get(ResultCache<V> cache, java.util.function.Supplier<?> key, java.util.function.Supplier<V> compute) {
    try {
      return cache.get(key, compute, Long.MAX_VALUE);
    } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** A computation of "answer" that runs {@code first}, says it is inside, and waits for {@code release}. */
  private static java.util.function.Supplier<String> held(java.util.concurrent.CountDownLatch inside,
      java.util.concurrent.CountDownLatch release, Runnable first) {
    return () -> {
      first.run();
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "answer";
    };
  }

  /** A caller waiting for another call's computation of its key gives up at its own deadline. */
  @Test
  void aCallerWaitingForAnotherCallsComputation_givesUpAtItsOwnDeadline() throws Exception {
    ResultCache<String> cache = new ResultCache<>(10, Duration.ofMinutes(1), String::length);
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread slow = Thread.ofVirtual().start(() -> get(cache, () -> "hot user", held(inside, release, () -> {})));
    assertTrue(inside.await(5, java.util.concurrent.TimeUnit.SECONDS));
    long start = System.nanoTime();
    java.util.concurrent.TimeoutException e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
        () -> cache.get(() -> "hot user", () -> "computed again", System.nanoTime() + 50_000_000L));
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waitedMs < 2_000, "gave up after " + waitedMs + " ms, not when the other computation finished");
    assertTrue(e.getMessage().contains("being computed for another call"), e.getMessage());
    release.countDown();
    slow.join(5_000);
    assertEquals("answer", get(cache, () -> "hot user", () -> "computed again"), "the first caller's answer is cached");
  }

  /** A key that holds much (an exclusion list) counts into its entry's weight. */
  @Test
  void aKeysOwnBytes_countAgainstTheBound() {
    record Big(int n) implements ResultCache.KeyBytes {
      @Override
      public int keyBytes() {
        return 20_000;
      }
    }
    ResultCache<byte[]> cache = new ResultCache<>(10, Duration.ofMinutes(1), b -> b.length);
    for (int k = 0; k < 10; k++) {
      int n = k;
      get(cache, () -> new Big(n), () -> new byte[10]);
    }
    cache.cache().cleanUp();
    assertTrue(cache.cache().estimatedSize() <= 2, "keys of 20 KB each: " + cache.cache().estimatedSize());
  }

  @Test
  void boundedByBytes_smallAnswersFillEveryEntry_largeOnesCountForTheirSize() {
    ResultCache<byte[]> small = new ResultCache<>(10, Duration.ofMinutes(1), b -> b.length);
    for (int k = 0; k < 10; k++) {
      byte[] answer = new byte[500];
      String key = "key" + k;
      get(small, () -> key, () -> answer);
    }
    small.cache().cleanUp();
    assertEquals(10, small.cache().estimatedSize(), "ten typical answers fit ten entries");

    ResultCache<byte[]> large = new ResultCache<>(10, Duration.ofMinutes(1), b -> b.length);
    for (int k = 0; k < 10; k++) {
      byte[] answer = new byte[20_000];
      String key = "key" + k;
      get(large, () -> key, () -> answer);
    }
    large.cache().cleanUp();
    // 10 x 4 KiB of budget holds two 20 KB answers at most.
    assertTrue(large.cache().estimatedSize() <= 2, "large answers are bounded by bytes: " + large.cache().estimatedSize());
  }

  @Test
  void aHitIsServedWithoutComputing_andZeroSizeDisablesTheCache() {
    ResultCache<String> cache = new ResultCache<>(10, Duration.ofMinutes(1), String::length);
    AtomicInteger computed = new AtomicInteger();
    get(cache, () -> "k", () -> "v" + computed.incrementAndGet());
    assertEquals("v1", get(cache, () -> "k", () -> "v" + computed.incrementAndGet()));
    assertEquals(1, computed.get());
    ResultCache<String> off = new ResultCache<>(0, Duration.ofMinutes(1), String::length);
    assertFalse(off.enabled());
    get(off, () -> "k", () -> "v" + computed.incrementAndGet());
    get(off, () -> "k", () -> "v" + computed.incrementAndGet());
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
      callers.add(Thread.ofVirtual().start(() -> answers.add(get(cache, () -> "hot user", held(inside, release, computed::incrementAndGet)))));
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
        () -> get(cache, () -> "failing", () -> { throw new IllegalStateException("scoring failed"); }));
    assertEquals("recomputed", get(cache, () -> "failing", () -> "recomputed"), "a failure is not cached");
    AtomicInteger keys = new AtomicInteger();
    get(new ResultCache<String>(0, Duration.ofMinutes(1), String::length), () -> "k" + keys.incrementAndGet(), () -> "v");
    assertEquals(0, keys.get(), "no key is made while the cache is off");
  }
}
