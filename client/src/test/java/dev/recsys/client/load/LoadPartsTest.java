package dev.recsys.client.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadPartsTest {

  /**
   * Half a million tight latencies (a saturated no-op call): the percentile plot once sent xchart's
   * logarithmic tick calculator into an endless loop. The timeout only guards against a hang.
   */
  @Test
  void openLoopRampsUpOverTheWarmup_thenHoldsTheRate() {
    java.time.Duration warmup = java.time.Duration.ofSeconds(10);
    double rps = 1000;
    // Half the warm-up's full-rate calls are sent in it, the last at its end.
    assertEquals(10e9, LoadRunner.intendedOffsetNanos(5000, rps, warmup), 1e3);
    // A quarter of the ramp's calls by half-time: the rate grows linearly.
    assertEquals(5e9, LoadRunner.intendedOffsetNanos(1250, rps, warmup), 1e3);
    long previous = -1;
    for (long i = 0; i < 20_000; i++) {
      long t = LoadRunner.intendedOffsetNanos(i, rps, warmup);
      assertTrue(t >= previous, "send times never go back");
      if (i > 5000) {
        assertEquals(1e6, t - previous, 1e3, "after the warm-up, one call per 1/rps");
      }
      previous = t;
    }
    // Without a warm-up, a constant rate from the start.
    assertEquals(3e6, LoadRunner.intendedOffsetNanos(3, rps, java.time.Duration.ZERO), 1e-3);
  }

  @Test
  void sendLag_countsOnlyCallsSentInTheMeasuredWindow() {
    LoadRecorder recorder = new LoadRecorder();
    recorder.recordSendLag(50_000_000);
    recorder.tick(0);
    recorder.startMeasuring();
    recorder.recordSendLag(2_000_000);
    recorder.recordSendLag(3_000_000);
    recorder.tick(1);
    recorder.recordSendLag(4_000_000);
    recorder.tick(2);
    recorder.stopMeasuring();
    recorder.recordSendLag(70_000_000);
    recorder.tick(3);
    assertEquals(3, recorder.sendLag().getTotalCount(), "the warm-up's and the tail's lags are left out");
    assertEquals(4_000, recorder.sendLag().getMaxValue(), 4, "microseconds");
    assertEquals(0, recorder.total().getTotalCount(), "send lags are not call latencies");
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void plots_ofAManyCallRun_areWritten(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    LoadRecorder recorder = new LoadRecorder();
    recorder.startMeasuring();
    SplittableRandom random = new SplittableRandom(5);
    for (int second = 1; second <= 3; second++) {
      for (int i = 0; i < 180_000; i++) {
        long micros = 1_400 + (long) Math.abs(random.nextGaussian() * 300) + (i % 10_000 == 0 ? 9_000 : 0);
        recorder.record(Operation.HEALTH, micros * 1000, io.grpc.Status.OK);
      }
      recorder.tick(second);
    }
    recorder.stopMeasuring();
    LoadReport report = new LoadReport(new LoadRunner.Result("closed", 32, java.time.Duration.ofSeconds(3), 540_000, 0), recorder,
        Map.of());
    var files = report.writePlots(dir, "noop");
    assertEquals(2, files.size());
    for (var f : files) {
      assertTrue(java.nio.file.Files.size(f) > 1000, f + " is empty");
    }
    assertTrue(report.text().contains("Requests/sec"));
  }

  @Test
  void mix_drawsOperationsInProportion() {
    RequestMix mix = RequestMix.parse("recommend=80, predict=15,similar=5,rate=0");
    Map<Operation, Integer> n = new EnumMap<>(Operation.class);
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      n.merge(mix.next(r), 1, Integer::sum);
    }
    assertEquals(0.80, n.get(Operation.RECOMMEND) / 100_000.0, 0.01);
    assertEquals(0.15, n.get(Operation.PREDICT) / 100_000.0, 0.01);
    assertEquals(0.05, n.get(Operation.SIMILAR) / 100_000.0, 0.01);
    assertTrue(!n.containsKey(Operation.RATE));
  }

  @Test
  void mix_badText_saysWhy() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestMix.parse("recommend")).getMessage().contains("<operation>=<weight>"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestMix.parse("delete=5")).getMessage().contains("unknown operation"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestMix.parse("recommend=0")).getMessage().contains("positive"));
  }

  @Test
  void users_zipfIsSkewed_uniformIsFlat_unknownShareHonoured() {
    long[] ids = new long[1000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 1;
    }
    SplittableRandom r = new SplittableRandom(2);
    Map<Long, Integer> zipf = new HashMap<>();
    UserSampler z = new UserSampler(ids, 1.1, 0.1);
    int unknown = 0;
    for (int i = 0; i < 100_000; i++) {
      long id = z.next(r);
      if (id > 1000) {
        unknown++;
      } else {
        zipf.merge(id, 1, Integer::sum);
      }
    }
    assertEquals(0.1, unknown / 100_000.0, 0.01);
    assertTrue(zipf.get(1L) > 20 * zipf.getOrDefault(1000L, 1), "the head is much hotter than the tail");
    Map<Long, Integer> flat = new HashMap<>();
    UserSampler u = new UserSampler(ids, UserSampler.exponent("uniform"), 0);
    for (int i = 0; i < 100_000; i++) {
      flat.merge(u.next(r), 1, Integer::sum);
    }
    assertTrue(flat.values().stream().allMatch(c -> c > 50 && c < 160));
    assertThrows(IllegalArgumentException.class, () -> UserSampler.exponent("pareto"));
  }

  /** A call the open loop could not send is a failure in the counts, never a latency (it was recorded as ~1 us). */
  @Test
  void callsNotSent_countAsFailures_withoutALatency() {
    LoadRecorder r = new LoadRecorder();
    r.recordNotSent(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("client: too many calls outstanding, call not sent"));
    r.startMeasuring();
    r.record(Operation.RECOMMEND, 5_000_000, io.grpc.Status.OK);
    for (int i = 0; i < 1000; i++) {
      r.recordNotSent(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("client: too many calls outstanding, call not sent"));
    }
    r.tick(1);
    assertEquals(1, r.total().getTotalCount(), "only the call that was sent has a latency");
    assertEquals(5.0, r.total().getValueAtPercentile(50) / 1000.0, 0.01);
    assertEquals(1000, r.notSent(), "the one before the window does not count");
    assertEquals(1000L, r.codes().get("RESOURCE_EXHAUSTED"));
    LoadReport report = new LoadReport(new LoadRunner.Result("open", 1000, java.time.Duration.ofSeconds(1), 1, r.notSent()), r, java.util.Map.of());
    assertEquals(1000, report.failures(), "what --max-failures checks: calls not sent fail the run");
  }

  /** Distinct error messages are capped over the run, not per second; and a final tick just after a regular one adds no timeline point. */
  @Test
  void distinctErrorsCappedOverTheRun_andNoEmptyLastPoint() {
    LoadRecorder r = new LoadRecorder();
    r.startMeasuring();
    for (int second = 1; second <= 5; second++) {
      for (int i = 0; i < 30; i++) {
        r.record(Operation.RECOMMEND, 1_000_000, io.grpc.Status.DEADLINE_EXCEEDED.withDescription("after " + second + "." + i + " s"));
      }
      r.tick(second);
    }
    r.tick(5.00001);
    assertEquals(LoadRecorder.MAX_DISTINCT_ERRORS + 1, r.errors().size(), r.errors().keySet().toString());
    assertEquals(150L, r.errors().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(5, r.timeline().size(), "the near-empty final interval is not a point");
  }
}
