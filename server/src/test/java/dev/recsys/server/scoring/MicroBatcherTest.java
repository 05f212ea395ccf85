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

  @Test
  void aBatchThatThrowsAnError_failsOnlyItsCallers_andTheWorkerGoesOn() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("test", 1, Duration.ZERO, 10, in -> {
      if (calls.incrementAndGet() == 1) {
        throw new OutOfMemoryError("device memory");
      }
      return in;
    })) {
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> b.submit(1).get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof OutOfMemoryError, e.toString());
      assertEquals(2, b.submit(2).get(5, TimeUnit.SECONDS), "later batches still run");
      assertEquals(null, b.failure());
    }
  }

  @Test
  void theBatchDelay_countsFromTheFirstRequestsArrival_notFromWhenTheWorkerTakesIt() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("test", 64, Duration.ofMillis(300), 10, in -> {
      if (in.contains(0)) {
        firstRunning.countDown();
        try {
          Thread.sleep(800);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return in;
    })) {
      CompletableFuture<Integer> first = b.submit(0);
      assertTrue(firstRunning.await(5, TimeUnit.SECONDS));
      long sent = System.nanoTime();
      CompletableFuture<Integer> second = b.submit(1); // arrives while the first batch runs (~800 ms)
      assertEquals(1, second.get(5, TimeUnit.SECONDS));
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      // It waited for the running batch (~800 ms) but not for another 300 ms delay after it: its
      // own delay had passed while it was queued. Counting from when the worker took it: >= 1,100.
      assertTrue(waited < 1_000, "waited " + waited + " ms");
      assertEquals(0, first.get(5, TimeUnit.SECONDS));
    }
  }

  /** Closed while it gathers a batch: the requests it took from the queue fail now, not at their callers' deadlines. */
  @Test
  void closingWhileABatchGathers_failsTheRequestsAlreadyTaken() throws Exception {
    MicroBatcher<Integer, Integer> b = new MicroBatcher<>("gathering", 64, Duration.ofSeconds(30), 10, in -> in);
    CompletableFuture<Integer> taken = b.submit(1);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (b.queued() > 0 && System.nanoTime() - until < 0) {
      Thread.sleep(1);
    }
    assertEquals(0, b.queued(), "the worker took the request and waits up to 30 s for more");
    b.close();
    java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> taken.get(5, TimeUnit.SECONDS));
    assertEquals("batcher gathering closed", e.getCause().getMessage());
  }

  @Test
  void aWorkerThatStops_failsEveryWaitingRequest_andRefusesNewOnes_sayingWhy() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MicroBatcher<Integer, Integer> b = new MicroBatcher<>("stopping-worker", 1, Duration.ZERO, 10, in -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return in;
    });
    CompletableFuture<Integer> busy = b.submit(1);
    assertTrue(running.await(5, TimeUnit.SECONDS));
    CompletableFuture<Integer> waiting = b.submit(2);
    // Something interrupts the worker (it was not closed): it stops, and says so.
    Thread worker = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("stopping-worker")).findFirst().orElseThrow();
    worker.interrupt();
    release.countDown();
    java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> waiting.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("interrupted"), e.getCause().toString());
    assertTrue(b.failure() != null);
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> b.submit(3));
    assertTrue(refused.getMessage().contains("stopping-worker stopped"), refused.getMessage());
    busy.get(5, TimeUnit.SECONDS);
    b.close();
  }
}
