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
      small.get("key" + k, () -> answer);
    }
    small.cache().cleanUp();
    assertEquals(10, small.cache().estimatedSize(), "ten typical answers fit ten entries");

    ResultCache<byte[]> large = new ResultCache<>(10, Duration.ofMinutes(1), b -> b.length);
    for (int k = 0; k < 10; k++) {
      byte[] answer = new byte[20_000];
      large.get("key" + k, () -> answer);
    }
    large.cache().cleanUp();
    // 10 x 4 KiB of budget holds two 20 KB answers at most.
    assertTrue(large.cache().estimatedSize() <= 2, "large answers are bounded by bytes: " + large.cache().estimatedSize());
  }

  @Test
  void aHitIsServedWithoutComputing_andZeroSizeDisablesTheCache() {
    ResultCache<String> cache = new ResultCache<>(10, Duration.ofMinutes(1), String::length);
    AtomicInteger computed = new AtomicInteger();
    cache.get("k", () -> "v" + computed.incrementAndGet());
    assertEquals("v1", cache.get("k", () -> "v" + computed.incrementAndGet()));
    assertEquals(1, computed.get());
    ResultCache<String> off = new ResultCache<>(0, Duration.ofMinutes(1), String::length);
    assertFalse(off.enabled());
    off.get("k", () -> "v" + computed.incrementAndGet());
    off.get("k", () -> "v" + computed.incrementAndGet());
    assertEquals(3, computed.get());
  }
}
