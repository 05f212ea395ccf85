package dev.recsys.server.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

  @Test
  void concurrentRequests_areBatched_upToTheBatchSize_inOrder() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("test", 4, Duration.ofMillis(200), 100, in -> {
      batchSizes.add(in.size());
      return in.stream().map(x -> x * 10).toList();
    })) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        futures.add(b.submit(i));
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(i * 10, futures.get(i).get(5, TimeUnit.SECONDS));
      }
    }
    assertTrue(batchSizes.stream().allMatch(s -> s <= 4), batchSizes.toString());
    assertTrue(batchSizes.stream().anyMatch(s -> s > 1), "nothing was batched: " + batchSizes);
  }

  @Test
  void aLoneRequest_waitsAtMostTheMaxDelay() throws Exception {
    try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("test", 64, Duration.ofMillis(5), 10, in -> in)) {
      long start = System.nanoTime();
      assertEquals(7, b.submit(7).get(5, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
    }
  }

  @Test
  void fullQueue_rejectsAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("test", 1, Duration.ZERO, 2, in -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return in;
    })) {
      b.submit(1);
      Thread.sleep(100);
      b.submit(2);
      b.submit(3);
      assertThrows(ScoringRejectedException.class, () -> b.submit(4));
      release.countDown();
    }
  }

  @Test
  void failure_reachesEveryRequestOfTheBatch() {
    try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("test", 8, Duration.ofMillis(50), 10, in -> {
      throw new IllegalStateException("device lost");
    })) {
      CompletableFuture<Integer> f = b.submit(1);
      assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    }
  }
}
