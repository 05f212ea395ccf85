package dev.recsys.server.rpc;

import dev.recsys.server.metrics.ServerMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records every call: count by method and status code, latency, calls in flight. Latency runs from
 * the call's arrival on the transport ({@link ArrivalTime}), so time spent waiting for a worker
 * thread counts: under overload that wait is most of a call's latency.
 */
public final class MetricsInterceptor implements ServerInterceptor {

  private final ServerMetrics metrics;

  public MetricsInterceptor(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    long start = ArrivalTime.arrivedNanos();
    AtomicBoolean done = new AtomicBoolean();
    metrics.callStarted();
    ServerCall<Q, R> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (done.compareAndSet(false, true)) {
          metrics.callFinished(method, status.getCode().name(), (System.nanoTime() - start) / 1e9);
        }
        super.close(status, trailers);
      }
    };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(observed, headers)) {
      @Override
      public void onCancel() {
        if (done.compareAndSet(false, true)) {
          metrics.callFinished(method, Status.Code.CANCELLED.name(), (System.nanoTime() - start) / 1e9);
        }
        super.onCancel();
      }
    };
  }
}
