package dev.recsys.server.rpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
      observer.onError(Errors.toStatus(t instanceof TimeoutException && stoppedByServerLimit() ? blameServerLimit(t) : t).asRuntimeException());
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

  /**
   * When work on the current call stops ({@link System#nanoTime()} clock): the caller's deadline,
   * or the server's limit ({@code --max-call-ms} from the call's arrival, {@link ArrivalTime}) where
   * that comes first or the caller set none; {@link Long#MAX_VALUE} outside a call.
   */
  static long deadlineNanos() {
    long limit = ArrivalTime.limitNanos();
    long caller = callerDeadlineNanos();
    return caller == Long.MAX_VALUE || limit != Long.MAX_VALUE && limit - caller < 0 ? limit : caller;
  }

  private static long callerDeadlineNanos() {
    Deadline d = Context.current().getDeadline();
    return d == null ? Long.MAX_VALUE : System.nanoTime() + d.timeRemaining(TimeUnit.NANOSECONDS);
  }

  /** Whether the server's limit, not the caller's deadline, is what the current call ran out of. */
  private static boolean stoppedByServerLimit() {
    long limit = ArrivalTime.limitNanos();
    return limit != Long.MAX_VALUE && System.nanoTime() - limit >= 0 && deadlineNanos() == limit;
  }

  /** The timeout's message with the setting that caused it, so an operator knows what to raise. */
  private static TimeoutException blameServerLimit(Throwable timeout) {
    String what = timeout.getMessage() != null ? timeout.getMessage() : "the call's work stopped";
    return new TimeoutException(what + "; it was the server's limit on one call's work (--max-call-ms=" + ArrivalTime.maxCallMillis()
        + "), reached before the caller's deadline or with none set");
  }
}
