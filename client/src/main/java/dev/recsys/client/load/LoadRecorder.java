package dev.recsys.client.load;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies (microseconds, 1 µs to 60 s, 3 significant digits) in HdrHistogram recorders,
 * overall and per operation, with status codes and the first distinct error messages. Thread-safe:
 * completion callbacks record from many threads; the reporter takes interval snapshots.
 */
public final class LoadRecorder {

  static final long HIGHEST_MICROS = 60_000_000;
  static final int MAX_DISTINCT_ERRORS = 20;
  /**
   * Shortest interval that becomes a point of the timeline: the last tick of a run can come
   * microseconds after a regular one, and its few calls would read as a drop to zero.
   */
  static final double MIN_POINT_SECONDS = 0.5;

  // Recording takes the read side (many threads at once); moving an interval into the totals takes
  // the write side, so latencies and status codes always cover exactly the same calls.
  private final java.util.concurrent.locks.ReentrantReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();
  private final Map<String, LongAdder> pendingCodes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> pendingErrors = new ConcurrentHashMap<>();
  private final LongAdder pendingNotSent = new LongAdder();
  private final LongAdder notSent = new LongAdder();
  private final Recorder total = new Recorder(HIGHEST_MICROS, 3);
  // Successful calls only: under overload, refusals are fast and would flatter the percentiles.
  private final Recorder succeeded = new Recorder(HIGHEST_MICROS, 3);
  private final Histogram accumulatedSucceeded = new Histogram(HIGHEST_MICROS, 3);
  private final Map<Operation, Recorder> byOperation = new EnumMap<>(Operation.class);
  private final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Histogram accumulated = new Histogram(HIGHEST_MICROS, 3);
  private final Map<Operation, Histogram> accumulatedByOperation = new EnumMap<>(Operation.class);
  private final List<Interval> timeline = new ArrayList<>();
  // Open loop only: how late each call left the client after its intended send time.
  private final Recorder sendLag = new Recorder(HIGHEST_MICROS, 3);
  private final Histogram accumulatedSendLag = new Histogram(HIGHEST_MICROS, 3);
  private volatile boolean measuring;

  /** One second (or so) of the run. */
  public record Interval(double atSeconds, long count, double p50Millis, double p99Millis, double maxMillis) {}

  public LoadRecorder() {
    for (Operation op : Operation.values()) {
      byOperation.put(op, new Recorder(HIGHEST_MICROS, 3));
      accumulatedByOperation.put(op, new Histogram(HIGHEST_MICROS, 3));
    }
  }

  /** Starts counting (after warm-up): everything recorded before is dropped. */
  public void startMeasuring() {
    lock.writeLock().lock();
    try {
      total.getIntervalHistogram();
      succeeded.getIntervalHistogram();
      sendLag.getIntervalHistogram();
      byOperation.values().forEach(Recorder::getIntervalHistogram);
      pendingCodes.clear();
      pendingErrors.clear();
      pendingNotSent.reset();
      measuring = true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Stops counting: calls still completing after the measured window are left out of every figure. */
  public void stopMeasuring() {
    lock.writeLock().lock();
    try {
      measuring = false;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public void record(Operation op, long latencyNanos, Status status) {
    long micros = micros(latencyNanos);
    lock.readLock().lock();
    try {
      total.recordValue(micros);
      if (status.isOk()) {
        succeeded.recordValue(micros);
      }
      byOperation.get(op).recordValue(micros);
      countStatus(status);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Records a call the open loop could not send (the client had too many outstanding): a failure
   * in the status counts, but no latency. Its latency is unknown, and the pacer's own lag recorded
   * in its place would put a server stall into the percentiles as thousands of 1 µs calls.
   */
  public void recordNotSent(Status status) {
    lock.readLock().lock();
    try {
      pendingNotSent.increment();
      countStatus(status);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Calls not sent within the measured window. */
  public long notSent() {
    return notSent.sum();
  }

  /** Counts a call's status, and a failure's message among the first distinct ones of the whole run. */
  private void countStatus(Status status) {
    pendingCodes.computeIfAbsent(status.getCode().name(), k -> new LongAdder()).increment();
    if (!status.isOk()) {
      String message = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
      LongAdder count = pendingErrors.get(message);
      if (count == null) {
        // Distinct messages counted over the run, not per interval: messages that differ per call
        // (deadlines naming their nanoseconds) would otherwise add twenty lines every second.
        boolean room = errors.containsKey(message) || errors.size() + pendingErrors.size() < MAX_DISTINCT_ERRORS;
        count = pendingErrors.computeIfAbsent(room ? message : "(other errors)", k -> new LongAdder());
      }
      count.increment();
    }
  }

  /**
   * Records how late the open loop sent a call: from its intended send time to the moment it was
   * issued. Every latency of that call includes this lag, which is the client's own (its pacing
   * thread waiting for a core, its garbage collector), not the server's.
   */
  public void recordSendLag(long lagNanos) {
    lock.readLock().lock();
    try {
      sendLag.recordValue(micros(lagNanos));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Moves what was recorded since the last call into the totals; returns that interval. */
  public Interval tick(double atSeconds) {
    lock.writeLock().lock();
    try {
      Histogram interval = total.getIntervalHistogram();
      Histogram intervalSucceeded = succeeded.getIntervalHistogram();
      Histogram intervalSendLag = sendLag.getIntervalHistogram();
      for (Operation op : Operation.values()) {
        Histogram h = byOperation.get(op).getIntervalHistogram();
        if (measuring) {
          accumulatedByOperation.get(op).add(h);
        }
      }
      Interval i = new Interval(atSeconds, interval.getTotalCount(), millis(interval.getValueAtPercentile(50)),
          millis(interval.getValueAtPercentile(99)), millis(interval.getMaxValue()));
      if (measuring) {
        accumulated.add(interval);
        accumulatedSucceeded.add(intervalSucceeded);
        accumulatedSendLag.add(intervalSendLag);
        notSent.add(pendingNotSent.sum());
        // A shorter interval's calls count in the totals, not as a point (MIN_POINT_SECONDS).
        if (timeline.isEmpty() || atSeconds - timeline.getLast().atSeconds() >= MIN_POINT_SECONDS) {
          timeline.add(i);
        }
        pendingCodes.forEach((k, v) -> codes.computeIfAbsent(k, x -> new LongAdder()).add(v.sum()));
        pendingErrors.forEach((k, v) -> errors.computeIfAbsent(k, x -> new LongAdder()).add(v.sum()));
      }
      pendingCodes.clear();
      pendingErrors.clear();
      pendingNotSent.reset();
      return i;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Latencies of the calls that succeeded, over the measured window. */
  public Histogram succeeded() {
    return snapshot(accumulatedSucceeded);
  }

  /** Send lags of the open loop's calls issued in the measured window (empty for a closed loop). */
  public Histogram sendLag() {
    return snapshot(accumulatedSendLag);
  }

  public Histogram total() {
    return snapshot(accumulated);
  }

  /** A copy of one of the totals, taken while no interval is being moved into them. */
  private Histogram snapshot(Histogram totals) {
    lock.writeLock().lock();
    try {
      return totals.copy();
    } finally {
      lock.writeLock().unlock();
    }
  }

  public Map<Operation, Histogram> byOperation() {
    Map<Operation, Histogram> out = new EnumMap<>(Operation.class);
    accumulatedByOperation.forEach((op, h) -> {
      if (h.getTotalCount() > 0) {
        out.put(op, h.copy());
      }
    });
    return out;
  }

  public Map<String, Long> codes() {
    Map<String, Long> out = new java.util.TreeMap<>();
    codes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public Map<String, Long> errors() {
    Map<String, Long> out = new java.util.TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public List<Interval> timeline() {
    return List.copyOf(timeline);
  }

  /** Nanoseconds as the microseconds the histograms hold, within their range. */
  private static long micros(long nanos) {
    return Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1000));
  }

  static double millis(long micros) {
    return micros / 1000.0;
  }
}
