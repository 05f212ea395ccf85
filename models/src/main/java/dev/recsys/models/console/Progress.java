package dev.recsys.models.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line for long work (downloads, loading, training, load tests).
 *
 * <p>On a terminal the line is redrawn in place at most every 200 ms; in a log (no console) a line
 * is printed at most every 5 seconds, so CI logs stay short. The final line, with the elapsed time,
 * is printed by {@link #close()}. Thread-safe: workers may call {@link #advance} concurrently.
 */
public final class Progress implements AutoCloseable {

  private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();
  private static final long LOG_NANOS = Duration.ofSeconds(5).toNanos();

  private final String task;
  private long total;
  private final Unit unit;
  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier nanoTime;
  private final long startNanos;
  /** Start of the current stage ({@link #stage}): rates and ETAs are of the stage. */
  private long stageStartNanos;
  private String stage = "";
  private long done;
  private long lastPrintNanos;
  private String detail = "";
  private boolean closed;
  private java.util.function.DoubleConsumer onClose = seconds -> {};

  /** How counts are shown. */
  public enum Unit {
    BYTES,
    ITEMS,
    STEPS
  }

  Progress(String task, long total, Unit unit, PrintStream out, boolean interactive, LongSupplier nanoTime) {
    this.task = task;
    this.total = total;
    this.unit = unit;
    this.out = out;
    this.interactive = interactive;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.stageStartNanos = startNanos;
    this.lastPrintNanos = startNanos - LOG_NANOS;
  }

  /**
   * Starts a progress line on standard error.
   *
   * @param total expected count, or a value <= 0 when unknown
   */
  public static Progress start(String task, long total, Unit unit) {
    return new Progress(task, total, unit, System.err, System.console() != null, System::nanoTime);
  }

  /** A progress that prints nothing (for library calls and tests that want silence). */
  public static Progress silent(String task) {
    return new Progress(task, 0, Unit.ITEMS, new PrintStream(PrintStream.nullOutputStream()), false, System::nanoTime);
  }

  /** Adds to the count. */
  public synchronized void advance(long delta) {
    done += delta;
    maybePrint(false);
  }

  /** Raises the expected count by {@code more} (e.g. a search that goes past its planned grid). */
  public synchronized void extend(long more) {
    if (total > 0) {
      total += more;
    }
  }

  /** Sets the count. */
  public synchronized void set(long value) {
    done = value;
    maybePrint(false);
  }

  /**
   * Starts a stage of the task with a count of its own (e.g. each candidate solver of a search,
   * counting its own epochs): the count restarts at 0 towards {@code total}, rate and ETA restart,
   * and the line shows the stage after the task's name. The final line's time is the whole task's.
   */
  public synchronized void stage(String name, long total) {
    this.stage = name == null ? "" : name;
    this.total = total;
    this.done = 0;
    this.detail = "";
    this.stageStartNanos = nanoTime.getAsLong();
    maybePrint(true);
  }

  /** Sets a short free-text detail shown after the count, e.g. {@code "loss 0.81  val RMSE 0.93"}. */
  public synchronized void detail(String text) {
    detail = text == null ? "" : text;
    maybePrint(false);
  }

  /** Receives the elapsed seconds when this progress closes (e.g. to record stage times). */
  public synchronized Progress onClose(java.util.function.DoubleConsumer seconds) {
    this.onClose = seconds;
    return this;
  }

  /** Prints a line now (e.g. at the end of an epoch), whatever the throttle says. */
  public synchronized void printNow() {
    maybePrint(true);
  }

  public synchronized long done() {
    return done;
  }

  private void maybePrint(boolean force) {
    if (closed) {
      return;
    }
    long now = nanoTime.getAsLong();
    long interval = interactive ? REDRAW_NANOS : LOG_NANOS;
    if (!force && now - lastPrintNanos < interval) {
      return;
    }
    lastPrintNanos = now;
    String line = render(now);
    if (interactive) {
      out.print("\r\033[K" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  String render(long now) {
    double seconds = (now - stageStartNanos) / 1e9;
    StringBuilder sb = new StringBuilder(task);
    if (!stage.isEmpty()) {
      sb.append(" - ").append(stage);
    }
    if (total <= 0 && done == 0) {
      // A step without a count: just its name (and, on close, its time).
      return detail.isEmpty() ? sb.toString() : sb.append("  ").append(detail).toString();
    }
    sb.append(": ").append(format(done));
    if (total > 0) {
      sb.append(" / ").append(format(total));
      sb.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
    }
    if (seconds > 0.5 && done > 0) {
      double rate = done / seconds;
      // Slow steps (ALS iterations, model fits) as time per step: "0/s" would look stuck.
      sb.append(rate >= 1 ? String.format(Locale.ROOT, "  %s/s", format((long) rate))
          : String.format(Locale.ROOT, "  %s each", Durations.format(seconds / done)));
      if (total > done) {
        double eta = (total - done) / (done / seconds);
        sb.append(String.format(Locale.ROOT, "  eta %s", Durations.format(eta)));
      }
    }
    if (!detail.isEmpty()) {
      sb.append("  ").append(detail);
    }
    return sb.toString();
  }

  private String format(long value) {
    return switch (unit) {
      case BYTES -> Durations.bytes(value);
      case ITEMS -> String.format(Locale.ROOT, "%,d", value);
      case STEPS -> Long.toString(value);
    };
  }

  /** Prints the final line with the elapsed time. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    long now = nanoTime.getAsLong();
    String line = render(now).replaceAll("  eta \\S+", "") + "  done in " + Durations.format((now - startNanos) / 1e9);
    out.print(interactive ? "\r\033[K" + line + System.lineSeparator() : line + System.lineSeparator());
    out.flush();
    closed = true;
    onClose.accept((now - startNanos) / 1e9);
  }
}
