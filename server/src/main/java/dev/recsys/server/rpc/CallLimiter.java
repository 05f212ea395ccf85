package dev.recsys.server.rpc;

import dev.recsys.server.metrics.ServerMetrics;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the calls handled at once: beyond the limit a call is refused at once with
 * RESOURCE_EXHAUSTED instead of joining a queue that grows without bound (clients retry with
 * backoff). Health checks are never refused, so an overloaded server is not restarted by its probes.
 */
public final class CallLimiter implements ServerInterceptor {

  private final Semaphore permits;
  private final int limit;
  private final ServerMetrics metrics;

  public CallLimiter(int limit, ServerMetrics metrics) {
    this.permits = new Semaphore(limit);
    this.limit = limit;
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (call.getMethodDescriptor().getServiceName() != null && call.getMethodDescriptor().getServiceName().startsWith("grpc.")) {
      return next.startCall(call, headers);
    }
    if (!permits.tryAcquire()) {
      metrics.shed();
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("server is at its limit of " + limit + " concurrent calls; retry with backoff"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    };
    try {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        public void onComplete() {
          release.run();
          super.onComplete();
        }

        @Override
        public void onCancel() {
          release.run();
          super.onCancel();
        }
      };
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }
}
