package dev.recsys.server.rpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.time.Duration;

/**
 * Stamps each call with the moment its stream arrived, on the transport thread, before the call
 * waits for a worker. gRPC runs interceptors on the workers, so without the stamp a call's time in
 * that queue, the part that grows without bound under overload, would be invisible to
 * {@link CallLimiter}. The stamp also carries the server's own limit on a call's work
 * ({@code --max-call-ms}), which {@link Calls#deadlineNanos()} counts from the same moment.
 */
public final class ArrivalTime extends ServerStreamTracer.Factory {

  private static final Context.Key<Stamp> STAMP = Context.key("recsys-arrival");

  /** When a call arrived and how long the server may work on it ({@link System#nanoTime()} clock). */
  private record Stamp(long arrivedNanos, long maxCallNanos) {}

  private final long maxCallNanos;

  /** @param maxCallTime longest the server works on one call, counted from its arrival */
  public ArrivalTime(Duration maxCallTime) {
    this.maxCallNanos = maxCallTime.toNanos();
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    Stamp stamp = new Stamp(System.nanoTime(), maxCallNanos);
    return new ServerStreamTracer() {
      @Override
      public Context filterContext(Context context) {
        return context.withValue(STAMP, stamp);
      }
    };
  }

  /** Nanoseconds since the current call arrived, or 0 outside a stamped call. */
  static long waitedNanos() {
    return System.nanoTime() - arrivedNanos();
  }

  /** {@link System#nanoTime()} when the current call arrived, or now outside a stamped call. */
  static long arrivedNanos() {
    Stamp stamp = STAMP.get();
    return stamp == null ? System.nanoTime() : stamp.arrivedNanos();
  }

  /**
   * When the server stops working on the current call ({@link System#nanoTime()} clock), or
   * {@link Long#MAX_VALUE} outside a stamped call.
   */
  static long limitNanos() {
    Stamp stamp = STAMP.get();
    return stamp == null ? Long.MAX_VALUE : stamp.arrivedNanos() + stamp.maxCallNanos();
  }

  /** The server's limit on a call's work in milliseconds, for messages; 0 outside a stamped call. */
  static long maxCallMillis() {
    Stamp stamp = STAMP.get();
    return stamp == null ? 0 : stamp.maxCallNanos() / 1_000_000;
  }
}
