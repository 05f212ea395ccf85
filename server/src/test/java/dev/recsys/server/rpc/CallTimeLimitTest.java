package dev.recsys.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.proto.v1.SimilarMoviesResponse;
import dev.recsys.proto.v1.TitleMatch;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own limit on a call's work ({@code --max-call-ms}): it shortens a caller's deadline
 * that is further away or absent, never a nearer one, and a call it stops says so by name.
 */
class CallTimeLimitTest {

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

  @TempDir static Path dir;

  @AfterAll
  static void stopTimer() {
    TIMER.shutdownNow();
  }

  /** A call context as the server builds it: stamped on arrival with a limit of {@code maxCall}. */
  private static Context arrivedWithLimit(Duration maxCall) {
    return new ArrivalTime(maxCall).newServerStreamTracer("test/Call", new Metadata()).filterContext(Context.ROOT);
  }

  @Test
  void deadline_isTheCallersWhenNearer_andTheServersLimitWhenTheCallerSetNoneOrAFartherOne() throws Exception {
    Context arrived = arrivedWithLimit(Duration.ofMillis(500));
    long limit = arrived.call(ArrivalTime::limitNanos);

    assertEquals(limit, arrived.call(Calls::deadlineNanos), "no caller deadline: the server's limit");
    try (Context.CancellableContext far = arrived.withDeadlineAfter(60, TimeUnit.SECONDS, TIMER)) {
      assertEquals(limit, far.call(Calls::deadlineNanos), "a caller deadline a minute away: the server's limit");
    }
    try (Context.CancellableContext near = arrived.withDeadlineAfter(50, TimeUnit.MILLISECONDS, TIMER)) {
      long deadline = near.call(Calls::deadlineNanos);
      assertTrue(limit - deadline > TimeUnit.MILLISECONDS.toNanos(300), "a caller deadline 50 ms away is kept: " + (limit - deadline) + " ns before the limit");
    }
    assertEquals(Long.MAX_VALUE, Context.ROOT.call(Calls::deadlineNanos), "outside a call: none");
  }

  @Test
  void aTimeoutAfterTheServersLimit_namesTheSetting_butOneAfterTheCallersOwnDeadlineDoesNot() throws Exception {
    Context arrived = arrivedWithLimit(Duration.ofMillis(20));
    Status byLimit = failedWith(arrived, () -> {
      Thread.sleep(60);
      throw new TimeoutException("the deadline passed while searching 9 title keys for 'x'");
    });
    assertEquals(Status.Code.DEADLINE_EXCEEDED, byLimit.getCode());
    assertEquals("the deadline passed while searching 9 title keys for 'x'; it was the server's limit on one call's work "
        + "(--max-call-ms=20), reached before the caller's deadline or with none set", byLimit.getDescription());

    Status noMessage = failedWith(arrived, () -> {
      Thread.sleep(60);
      throw new TimeoutException();
    });
    assertTrue(noMessage.getDescription().startsWith("the call's work stopped; it was the server's limit"), noMessage.getDescription());

    Context roomy = arrivedWithLimit(Duration.ofSeconds(60));
    try (Context.CancellableContext near = roomy.withDeadlineAfter(10, TimeUnit.MILLISECONDS, TIMER)) {
      Status byCaller = failedWith(near, () -> {
        Thread.sleep(60);
        throw new TimeoutException("the deadline passed while scoring");
      });
      assertEquals(Status.Code.DEADLINE_EXCEEDED, byCaller.getCode());
      assertFalse(byCaller.getDescription().contains("max-call-ms"), byCaller.getDescription());
    }
    // Both passed, the caller's first: its own deadline is what ran out, not the server's limit.
    Context tight = arrivedWithLimit(Duration.ofMillis(40));
    try (Context.CancellableContext nearer = tight.withDeadlineAfter(10, TimeUnit.MILLISECONDS, TIMER)) {
      Status bothPassed = failedWith(nearer, () -> {
        Thread.sleep(80);
        throw new TimeoutException("the deadline passed while scoring");
      });
      assertEquals("the deadline passed while scoring", bothPassed.getDescription());
    }
  }

  private static Status failedWith(Context context, Calls.Body<String> body) throws Exception {
    AtomicReference<Throwable> error = new AtomicReference<>();
    // Calls.unary refuses a context already cancelled before running the body: each context here is
    // live when the body starts, and the body's own timeout is what gets mapped.
    context.run(() -> Calls.unary(new StreamObserver<String>() {
      @Override
      public void onNext(String value) {}

      @Override
      public void onError(Throwable t) {
        error.set(t);
      }

      @Override
      public void onCompleted() {}
    }, body));
    assertNotNull(error.get(), "the call failed");
    return Status.fromThrowable(error.get());
  }

  @Test
  void overRealSockets_anApproximateTitleSearchStopsAtTheServersLimit_whileExactLookupsAndARoomyLimitAnswer() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    SimilarMoviesRequest typo = SimilarMoviesRequest.newBuilder().setTitle("Toy Stroy").setK(3).build();
    SimilarMoviesRequest exact = SimilarMoviesRequest.newBuilder().setTitle("Toy Story").setK(3).build();
    List<ServerInterceptor> delayed = List.of(new DelayOnRequest());

    try (ServerFixture f = ServerFixture.onPort(ServerFixture.maxCallTime(registry, Duration.ofMillis(100)), delayed).awaitServing(1)) {
      SimilarMoviesResponse found = delayedStub(f).similarMovies(exact);
      assertEquals(TitleMatch.TITLE_MATCH_EXACT, found.getMatch(), "an exact lookup reads no keys, so it answers past the limit");

      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> delayedStub(f).similarMovies(typo));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("title keys for 'Toy Stroy'")
          && e.getStatus().getDescription().contains("--max-call-ms=100"), e.getStatus().getDescription());
      assertEquals(TitleMatch.TITLE_MATCH_APPROXIMATE, f.recommender().similarMovies(typo).getMatch(), "an undelayed call answers");
    }
    try (ServerFixture f = ServerFixture.onPort(ServerFixture.maxCallTime(registry, Duration.ofSeconds(10)), delayed).awaitServing(1)) {
      assertEquals(TitleMatch.TITLE_MATCH_APPROXIMATE, delayedStub(f).similarMovies(typo).getMatch(), "300 ms late, inside a 10 s limit");
    }
  }

  private static final Metadata.Key<String> DELAY = Metadata.Key.of("x-test-delay-ms", Metadata.ASCII_STRING_MARSHALLER);

  private static dev.recsys.proto.v1.RecommenderGrpc.RecommenderBlockingStub delayedStub(ServerFixture f) {
    Metadata headers = new Metadata();
    headers.put(DELAY, "300");
    return f.recommender().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Holds a call on its worker for the milliseconds its header asks, as a busy server would. */
  private static final class DelayOnRequest implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      String delay = headers.get(DELAY);
      if (delay != null) {
        try {
          Thread.sleep(Long.parseLong(delay));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return next.startCall(call, headers);
    }
  }
}
