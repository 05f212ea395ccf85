package dev.recsys.server.rpc;

import dev.recsys.server.metrics.ServerMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission control: refuses a call at once with RESOURCE_EXHAUSTED, instead of letting queues
 * grow without bound, when the server holds its limit of calls (a bound on memory) or when the
 * call already waited longer than its limit for a worker thread (a bound on latency: under
 * overload the queue is shed from its old end, so admitted calls keep a bounded latency while
 * callers retry with backoff, elsewhere). Health checks are never refused, so an overloaded server
 * is not restarted by its probes.
 */
public final class CallLimiter implements ServerInterceptor {

  private final Semaphore permits;
  private final int limit;
  private final long maxQueueNanos;
  private final ServerMetrics metrics;

  /**
   * @param limit calls admitted at once
   * @param maxQueueWait longest a call may have waited for a worker (see {@link ArrivalTime})
   */
  public CallLimiter(int limit, Duration maxQueueWait, ServerMetrics metrics) {
    this.permits = new Semaphore(limit);
    this.limit = limit;
    this.maxQueueNanos = maxQueueWait.toNanos();
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (call.getMethodDescriptor().getServiceName() != null && call.getMethodDescriptor().getServiceName().startsWith("grpc.")) {
      return next.startCall(call, headers);
    }
    long waited = ArrivalTime.waitedNanos();
    if (waited > maxQueueNanos) {
      return refuse(call, "queue", "server is overloaded: the call waited " + waited / 1_000_000 + " ms for a thread (limit "
          + maxQueueNanos / 1_000_000 + " ms); retry with backoff");
    }
    if (!permits.tryAcquire()) {
      return refuse(call, "concurrency", "server is at its limit of " + limit + " concurrent calls; retry with backoff");
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    };
    // The slot is free once the answer is handed to the transport (close), not when the transport
    // has finished writing it (onComplete): under load that write waits behind other streams, and
    // counting it would refuse calls the workers have room for. onCancel covers calls that never
    // close (the client went away first).
    ServerCall<Q, R> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        release.run();
        super.close(status, trailers);
      }
    };
    try {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(releasing, headers)) {
        @Override
        public void onCancel() {
          release.run();
          super.onCancel();
        }

        @Override
        public void onComplete() {
          release.run();
          super.onComplete();
        }
      };
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }

  private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String reason, String message) {
    metrics.shed(reason);
    call.close(Status.RESOURCE_EXHAUSTED.withDescription(message), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
