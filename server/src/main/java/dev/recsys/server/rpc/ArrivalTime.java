package dev.recsys.server.rpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;

/**
 * Stamps each call with the moment its stream arrived, on the transport thread, before the call
 * waits for a worker. gRPC runs interceptors on the workers, so without the stamp a call's time in
 * that queue, the part that grows without bound under overload, would be invisible to
 * {@link CallLimiter}.
 */
public final class ArrivalTime extends ServerStreamTracer.Factory {

  private static final Context.Key<Long> ARRIVED_NANOS = Context.key("recsys-arrived-nanos");

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    long arrived = System.nanoTime();
    return new ServerStreamTracer() {
      @Override
      public Context filterContext(Context context) {
        return context.withValue(ARRIVED_NANOS, arrived);
      }
    };
  }

  /** Nanoseconds since the current call arrived, or 0 outside a stamped call. */
  static long waitedNanos() {
    return System.nanoTime() - arrivedNanos();
  }

  /** {@link System#nanoTime()} when the current call arrived, or now outside a stamped call. */
  static long arrivedNanos() {
    Long arrived = ARRIVED_NANOS.get();
    return arrived == null ? System.nanoTime() : arrived;
  }
}
