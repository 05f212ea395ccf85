package dev.recsys.server.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.DotScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A scoring device that fails (a CUDA error, device memory exhausted) never fails or hangs a call:
 * the version goes on scoring with its CPU kernel and says so; the device's memory is freed only
 * after the batch that uses it has returned. The device is simulated: no GPU here.
 */
class BatchedScoringFallbackTest {

  private static final EmbeddingTables MODEL = new EmbeddingTables(2, 3, 2, new float[] {1, 0, 0, 1}, new float[] {1, 2, 3, 4, 5, 6},
      new float[2], new float[3], 0);

  private static float[] cpu(float[] user) {
    float[] out = new float[3];
    new CpuScoring(DotScorer.of(MODEL)).score(user, out, Long.MAX_VALUE);
    return out;
  }

  @Test
  void aDeviceError_isAnsweredOnTheCpu_thenEveryLaterCallToo_andTheDeviceIsReleased() throws Exception {
    AtomicInteger batches = new AtomicInteger();
    CountDownLatch freed = new CountDownLatch(1);
    BatchedScoring scoring = new BatchedScoring("gpu", 3, users -> {
      if (batches.incrementAndGet() == 2) {
        throw new OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB");
      }
      List<BatchedScoring.Answer> out = new ArrayList<>();
      users.forEach(u -> out.add(BatchedScoring.Answer.all(new float[] {7, 7, 7})));
      return out;
    }, freed::countDown, 4, Duration.ZERO, 16, new CpuScoring(DotScorer.of(MODEL)), ThreadStarter.CALLER);
    float[] user = {1, 0};
    float[] out = new float[3];

    scoring.score(user, out, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    assertArrayEquals(new float[] {7, 7, 7}, out, "the device answers while it works");
    assertFalse(scoring.fellBack());
    assertEquals("gpu", scoring.device());

    scoring.score(user, out, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    assertArrayEquals(cpu(user), out, "the failed batch's call is answered by the CPU kernel, not failed");
    assertTrue(scoring.fellBack());
    assertEquals("cpu (fallback: gpu failed: CUDA out of memory. Tried to allocate 2.00 GiB)", scoring.device());
    assertTrue(freed.await(10, TimeUnit.SECONDS), "the failed device's memory is released without waiting for the version to retire");

    for (int i = 0; i < 5; i++) {
      scoring.score(new float[] {0, 1}, out, Long.MAX_VALUE);
      assertArrayEquals(cpu(new float[] {0, 1}), out);
    }
    assertEquals(2, batches.get(), "the device is not used again");
    scoring.close();
  }

  @Test
  void closingWhileABatchRuns_freesTheDeviceOnlyAfterItReturns() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch running = new CountDownLatch(1);
    BatchedScoring scoring = new BatchedScoring("gpu", 3, users -> {
      running.countDown();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      events.add("batch returned");
      return users.stream().map(u -> BatchedScoring.Answer.all(new float[3])).toList();
    }, () -> events.add("device freed"), 4, Duration.ZERO, 16, new CpuScoring(DotScorer.of(MODEL)), ThreadStarter.CALLER);
    Thread caller = Thread.ofVirtual().start(() -> {
      try {
        scoring.score(new float[] {1, 1}, new float[3], Long.MAX_VALUE);
      } catch (Exception e) {
        events.add("caller failed: " + e);
      }
    });
    assertTrue(running.await(10, TimeUnit.SECONDS));
    scoring.close();
    caller.join(10_000);
    assertEquals(List.of("batch returned", "device freed"), events.stream().filter(e -> !e.startsWith("caller")).toList(), events.toString());
    assertTrue(events.stream().noneMatch(e -> e.startsWith("caller failed")), events.toString());
  }

  @Test
  void aBatchOfManyCallers_isAllAnsweredWhenTheDeviceFailsUnderIt() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    BatchedScoring scoring = new BatchedScoring("gpu", 3, users -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("CUDA error: an illegal memory access was encountered");
    }, () -> {}, 8, Duration.ofMillis(50), 16, new CpuScoring(DotScorer.of(MODEL)), ThreadStarter.CALLER);
    List<Thread> callers = new ArrayList<>();
    float[][] answers = new float[6][];
    for (int i = 0; i < answers.length; i++) {
      int n = i;
      callers.add(Thread.ofVirtual().start(() -> {
        float[] out = new float[3];
        try {
          scoring.score(new float[] {n, 1}, out, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
          answers[n] = out;
        } catch (Exception e) {
          answers[n] = null;
        }
      }));
    }
    Thread.sleep(200);
    gate.countDown();
    for (Thread t : callers) {
      t.join(10_000);
    }
    for (int i = 0; i < answers.length; i++) {
      assertArrayEquals(cpu(new float[] {i, 1}), answers[i], "caller " + i + ": " + Arrays.toString(answers[i]));
    }
    assertTrue(scoring.device().contains("illegal memory access"), scoring.device());
    scoring.close();
  }
}
