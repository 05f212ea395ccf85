package dev.recsys.server.rpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/** Runs a unary call body: honours cancellation and deadlines, and maps any failure to a status. */
final class Calls {

  /** A call body. */
  @FunctionalInterface
  interface Body<T> {
    T run() throws Exception;
  }

  private Calls() {}

  static <T> void unary(StreamObserver<T> observer, Body<T> body) {
    try {
      stopIfCancelled();
      T response = body.run();
      stopIfCancelled();
      observer.onNext(response);
      observer.onCompleted();
    } catch (Throwable t) {
      observer.onError(Errors.toStatus(t).asRuntimeException());
    }
  }

  /** Throws when the caller cancelled or the deadline passed: no more work for this call. */
  static void stopIfCancelled() {
    Context context = Context.current();
    if (context.isCancelled()) {
      Deadline d = context.getDeadline();
      throw (d != null && d.isExpired() ? Status.DEADLINE_EXCEEDED.withDescription("the deadline passed")
          : Status.CANCELLED.withDescription("the caller cancelled the call")).asRuntimeException();
    }
  }

  /** The call's deadline on the {@link System#nanoTime()} clock, or {@link Long#MAX_VALUE}. */
  static long deadlineNanos() {
    Deadline d = Context.current().getDeadline();
    return d == null ? Long.MAX_VALUE : System.nanoTime() + d.timeRemaining(TimeUnit.NANOSECONDS);
  }
}
