package dev.recsys.client.load;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommenderGrpc;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Drives load against a server and records it. Calls are asynchronous: the closed loop keeps
 * {@code concurrency} calls outstanding (each completion issues the next), the open loop issues
 * calls at fixed intended times and measures each from its intended time, so that a server stall
 * shows up as latency instead of as fewer requests.
 */
public final class LoadRunner {

  /** What a run measured. */
  public record Result(String mode, double target, Duration measured, long sent, long dropped) {}

  /** Most calls allowed outstanding in open loop; beyond, a call is counted as dropped (client overloaded). */
  static final int MAX_OUTSTANDING = 20_000;

  private final List<Connection> connections;
  private final RequestMix mix;
  private final UserSampler users;
  private final long[] movies;
  private final int k;
  private final Duration deadline;
  private final LoadRecorder recorder;
  private final AtomicInteger nextConnection = new AtomicInteger();
  private final AtomicInteger outstanding = new AtomicInteger();
  /** One thread, started by the first failure and gone after a second idle (runs may follow each other). */
  private final java.util.concurrent.ThreadPoolExecutor afterFailure = new java.util.concurrent.ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
      new java.util.concurrent.LinkedBlockingQueue<>(), Thread.ofPlatform().name("load-after-failure").daemon().factory());

  /**
   * @param movies movie ids to ask about (Predict, SimilarMovies, RecommendForRatings)
   */
  public LoadRunner(List<Connection> connections, RequestMix mix, UserSampler users, long[] movies, int k, Duration deadline,
      LoadRecorder recorder) {
    this.connections = connections;
    this.mix = mix;
    this.users = users;
    this.movies = movies;
    this.k = k;
    this.deadline = deadline;
    this.recorder = recorder;
  }

  private Connection connection() {
    return connections.get(Math.floorMod(nextConnection.getAndIncrement(), connections.size()));
  }

  /** Issues one call of {@code op}; {@code done} runs on completion. Latency counts from {@code startNanos}. */
  void issue(Operation op, SplittableRandom random, long startNanos, Runnable done) {
    Connection c = connection();
    RecommenderGrpc.RecommenderFutureStub stub = c.recommenderAsync().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    ListenableFuture<?> call = switch (op) {
      case RECOMMEND -> stub.recommend(RecommendRequest.newBuilder().setUserId(users.next(random)).setK(k).build());
      case PREDICT -> {
        PredictRequest.Builder b = PredictRequest.newBuilder().setUserId(users.next(random));
        for (int i = 0; i < 10; i++) {
          b.addMovieIds(movies[random.nextInt(movies.length)]);
        }
        yield stub.predict(b.build());
      }
      case SIMILAR -> stub.similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(movies[random.nextInt(movies.length)]).setK(k).build());
      case RATE -> stub.recommendForRatings(RecommendForRatingsRequest.newBuilder().setK(k).setProfile(profile(random)).build());
      case CLUSTER -> stub.cluster(ClusterRequest.newBuilder().setRatings(profile(random)).build());
      case HEALTH -> HealthGrpc.newFutureStub(c.channel()).withCallCredentials(c.credentials())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).check(HealthCheckRequest.getDefaultInstance());
    };
    outstanding.incrementAndGet();
    Futures.addCallback(call, new FutureCallback<Object>() {
      @Override
      public void onSuccess(Object result) {
        finish(Status.OK);
      }

      @Override
      public void onFailure(Throwable t) {
        finish(Status.fromThrowable(t));
      }

      private void finish(Status status) {
        recorder.record(op, System.nanoTime() - startNanos, status);
        outstanding.decrementAndGet();
        if (status.isOk()) {
          done.run();
        } else {
          // A call can fail inside its own start (a channel in transient failure fails fast, and
          // callbacks run on the calling thread): issuing the next one here would recurse without
          // bound. Failures hand the next call to a thread of their own.
          afterFailure.execute(done);
        }
      }
    }, MoreExecutors.directExecutor());
  }

  private RatingProfile profile(SplittableRandom random) {
    RatingProfile.Builder b = RatingProfile.newBuilder();
    java.util.Set<Long> used = new java.util.HashSet<>();
    for (int i = 0; i < 5; i++) {
      long m = movies[random.nextInt(movies.length)];
      if (used.add(m)) {
        b.addRatings(MovieRating.newBuilder().setMovieId(m).setRating(1 + random.nextInt(9) * 0.5));
      }
    }
    return b.build();
  }

  /** Closed loop: {@code concurrency} calls always outstanding. */
  public Result closedLoop(int concurrency, Duration warmup, Duration duration, long seed, Consumer<LoadRecorder.Interval> onTick)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    SplittableRandom root = new SplittableRandom(seed);
    for (int slot = 0; slot < concurrency; slot++) {
      SplittableRandom random = root.split();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (running.get()) {
          sent.incrementAndGet();
          // A slot's random is only used by its one outstanding call at a time.
          synchronized (random) {
            issue(mix.next(random), random, System.nanoTime(), next[0]);
          }
        }
      };
      next[0].run();
    }
    long measuredNanos = measure(warmup, duration, onTick, sent);
    running.set(false);
    drain();
    return new Result("closed", concurrency, Duration.ofNanos(measuredNanos), sent.get(), 0);
  }

  /**
   * Open loop: calls at a constant rate, latency from each call's intended send time. During the
   * warm-up the rate ramps up linearly from zero: started at full rate, cold JIT on both sides
   * builds a backlog that a server running below saturation drains only slowly (at 80% load, a
   * one-second backlog takes five seconds), and that backlog would then be measured as latency.
   */
  public Result openLoop(double rps, Duration warmup, Duration duration, long seed, Consumer<LoadRecorder.Interval> onTick)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    Thread pacer = Thread.ofPlatform().name("load-pacer").start(() -> {
      SplittableRandom random = new SplittableRandom(seed);
      long start = System.nanoTime();
      for (long i = 0; running.get(); i++) {
        long intended = start + intendedOffsetNanos(i, rps, warmup);
        long wait = intended - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        if (outstanding.get() >= MAX_OUTSTANDING) {
          recorder.recordNotSent(Status.RESOURCE_EXHAUSTED.withDescription("client: too many calls outstanding, call not sent"));
          continue;
        }
        sent.incrementAndGet();
        recorder.recordSendLag(System.nanoTime() - intended);
        issue(mix.next(random), random, intended, () -> {});
      }
    });
    long measuredNanos = measure(warmup, duration, onTick, sent);
    running.set(false);
    pacer.join();
    drain();
    return new Result("open", rps, Duration.ofNanos(measuredNanos), sent.get(), recorder.notSent());
  }

  /**
   * When call {@code i} of an open loop is due, in nanoseconds from the start: the rate ramps
   * linearly from 0 to {@code rps} over the warm-up (so {@code rps * warmup / 2} calls are sent in
   * it), then stays at {@code rps}.
   */
  static long intendedOffsetNanos(long i, double rps, Duration warmup) {
    double w = warmup.toNanos() / 1e9;
    double rampCalls = rps * w / 2;
    double seconds = i < rampCalls ? Math.sqrt(2 * w * i / rps) : w / 2 + i / rps;
    return (long) (seconds * 1e9);
  }

  private long measure(Duration warmup, Duration duration, Consumer<LoadRecorder.Interval> onTick, AtomicLong sent) throws InterruptedException {
    Thread.sleep(warmup.toMillis());
    recorder.startMeasuring();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long nextTick = start + TimeUnit.SECONDS.toNanos(1);
    double lastTick = 0;
    while (System.nanoTime() < end) {
      LockSupport.parkNanos(Math.min(end, nextTick) - System.nanoTime());
      if (System.nanoTime() >= nextTick) {
        lastTick = (System.nanoTime() - start) / 1e9;
        onTick.accept(recorder.tick(lastTick));
        nextTick += TimeUnit.SECONDS.toNanos(1);
      }
    }
    long measured = System.nanoTime() - start;
    LoadRecorder.Interval last = recorder.tick(measured / 1e9);
    // Printed only when it is a point of its own (the recorder's rule), not a moment after the last.
    if (measured / 1e9 - lastTick >= LoadRecorder.MIN_POINT_SECONDS) {
      onTick.accept(last);
    }
    recorder.stopMeasuring();
    return measured;
  }

  private void drain() throws InterruptedException {
    long deadlineNanos = System.nanoTime() + deadline.toNanos() + TimeUnit.SECONDS.toNanos(2);
    while (outstanding.get() > 0 && System.nanoTime() - deadlineNanos < 0) {
      Thread.sleep(5);
    }
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }
}
