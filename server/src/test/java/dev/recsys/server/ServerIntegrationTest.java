package dev.recsys.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.ListModelsRequest;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.RecommenderGrpc;
import dev.recsys.proto.v1.SampleUserIdsRequest;
import dev.recsys.proto.v1.ServingStatus;
import dev.recsys.server.config.ServerConfig;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on a real port over real sockets, on a model trained from real MovieLens data. */
class ServerIntegrationTest {

  @TempDir Path dir;

  ServerFixture start(Path registry, int metricsPort, int maxCalls) throws Exception {
    return ServerFixture.onPort(ServerFixture.config(registry, metricsPort, false, maxCalls), List.of());
  }

  @Test
  void everyRpc_overARealSocket_withHealthReflectionAndMetrics() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    try (ServerFixture f = start(registry, 0, 64).awaitServing(1)) {
      var health = HealthGrpc.newBlockingStub(f.channel);
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(RecsysServer.SERVICE).build()).getStatus());

      assertEquals(5, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(10).setK(5).build()).getMoviesCount());
      assertEquals(2, f.recommender().predict(PredictRequest.newBuilder().setUserId(10).addMovieIds(1).addMovieIds(2).build()).getPredictionsCount());
      assertTrue(f.recommender().cluster(ClusterRequest.newBuilder().setUserId(10).build()).getDistancesCount() > 1);
      assertEquals(3, f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("Star Wars").setK(3).build()).getSimilarCount());
      assertEquals(4, f.recommender().recommendForRatings(RecommendForRatingsRequest.newBuilder().setK(4)
          .setProfile(RatingProfile.newBuilder().addRatings(MovieRating.newBuilder().setMovieId(50).setRating(5))).build()).getMoviesCount());
      assertEquals(1, f.admin().listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getVersionsCount());
      ServingStatus status = f.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance());
      assertTrue(status.getServing());
      assertEquals(List.of("production"), status.getLoaded(0).getRoutesList());
      assertEquals(20, f.admin().sampleUserIds(SampleUserIdsRequest.newBuilder().setCount(20).setSeed(3).build()).getUserIdsCount());
      // Asked for more than there are: every user, once each (draws with replacement gave about two thirds).
      var every = f.admin().sampleUserIds(SampleUserIdsRequest.newBuilder().setCount(10_000).setSeed(3).build());
      assertEquals(every.getTotalUsers(), every.getUserIdsList().stream().distinct().count());
      assertEquals(every.getTotalUsers(), every.getUserIdsCount());

      assertTrue(reflectedServices(f).containsAll(List.of("recsys.v1.Recommender", "recsys.v1.ModelAdmin", "grpc.health.v1.Health")));

      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("recsys_grpc_calls_total{method=\"Recommend\",code=\"OK\",} 1.0"), metrics);
      assertTrue(metrics.contains("recsys_grpc_latency_seconds_bucket{method=\"Recommend\",code=\"OK\",le=\"1.0E-4\",}"));
      assertTrue(metrics.contains("recsys_model_version_info{model=\"movielens\",version=\"1\",route=\"production\",} 1.0"));
      assertTrue(metrics.contains("recsys_model_loads_total{result=\"success\",} 1.0"));
      assertTrue(metrics.contains("recsys_served_total{method=\"Recommend\",version=\"1\",route=\"production\",} 1.0"));
      // The one fold-in missed the cache; the known user's Recommend did not use it (a row of the model).
      assertTrue(metrics.contains("caffeine_cache_miss_total{cache=\"profile_vectors\",} 1.0"), metrics);
      assertTrue(metrics.contains("jvm_memory_bytes_used"));
      assertTrue(metrics.contains("jvm_threads_current"));
      assertFalse(metrics.contains("jvm_threads_deadlocked"), "deadlock gauges are computed at a safepoint: not served");
    }
  }

  static List<String> reflectedServices(ServerFixture f) throws InterruptedException {
    List<String> names = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(f.channel).serverReflectionInfo(new StreamObserver<>() {
      @Override
      public void onNext(ServerReflectionResponse r) {
        r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
      }

      @Override
      public void onError(Throwable t) {
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    done.await(10, TimeUnit.SECONDS);
    return names;
  }

  @Test
  void beforeAnyModel_healthIsNotServing_callsAreUnavailable_thenAPromotionMakesItServe() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    // A registry with a version but no alias yet: nothing to serve.
    dev.recsys.models.io.FileTrees.deleteRecursively(registry.resolve("movielens/aliases"));
    try (ServerFixture f = start(registry, -1, 64)) {
      Thread.sleep(500);
      var health = HealthGrpc.newBlockingStub(f.channel);
      assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(3).build()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());

      f.admin().promote(PromoteRequest.newBuilder().setAlias("production").setVersion(1).setReason("first").build());
      f.awaitServing(1);
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertEquals(3, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(3).build()).getMoviesCount());
    }
  }

  @Test
  void promotionDuringABurst_zeroFailedCalls_andEveryLaterAnswerFromTheNewVersion() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    try (ServerFixture f = start(registry, -1, 256).awaitServing(1)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger failures = new AtomicInteger();
      AtomicLong calls = new AtomicLong();
      AtomicLong promotedAt = new AtomicLong(Long.MAX_VALUE);
      Map<Long, AtomicInteger> oldAfterPromotion = new ConcurrentHashMap<>();
      List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        clients.add(pool.submit(() -> {
          RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(f.channel);
          for (long n = 0; !stop.get(); n++) {
            long sent = System.nanoTime();
            try {
              RecommendResponse r = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                  .recommend(RecommendRequest.newBuilder().setUserId(1 + (id * 97 + n) % 900).setK(10).build());
              calls.incrementAndGet();
              if (sent > promotedAt.get() && r.getServedBy().getVersion() != v2) {
                oldAfterPromotion.computeIfAbsent(r.getServedBy().getVersion(), k -> new AtomicInteger()).incrementAndGet();
              }
            } catch (StatusRuntimeException e) {
              failures.incrementAndGet();
              errors.add(e.getStatus().toString());
            }
          }
        }));
      }
      Thread.sleep(800);
      f.admin().promote(PromoteRequest.newBuilder().setAlias("production").setVersion(v2).setReason("burst test").build());
      f.awaitServing(v2);
      promotedAt.set(System.nanoTime());
      Thread.sleep(800);
      stop.set(true);
      for (Future<?> c : clients) {
        c.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertEquals(0, failures.get(), "failed calls: " + errors.stream().limit(5).toList());
      assertTrue(calls.get() > 100, "only " + calls.get() + " calls");
      assertTrue(oldAfterPromotion.isEmpty(), "answers from the old version after the swap: " + oldAfterPromotion);
      // The retired version is released once its last request finished.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (f.server.models().snapshot().models().containsKey(1L) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(java.util.Set.of(v2), f.server.models().snapshot().models().keySet());
    }
  }

  /** Replaces every value of a float tensor in the safetensors file by NaN. */
  static void poisonTensor(Path file, String name) throws java.io.IOException {
    var t = dev.recsys.models.tensors.TensorFile.read(file);
    var w = new dev.recsys.models.tensors.TensorFile.Writer();
    for (var e : t.tensors().entrySet()) {
      var tensor = e.getValue();
      switch (tensor.dtype()) {
        case F32 -> {
          float[] v = tensor.floats();
          if (e.getKey().equals(name)) {
            java.util.Arrays.fill(v, Float.NaN);
          }
          w.floats(e.getKey(), v, tensor.shape());
        }
        case I32 -> w.ints(e.getKey(), tensor.ints(), tensor.shape());
        case I64 -> w.longs(e.getKey(), tensor.longs(), tensor.shape());
      }
    }
    Files.delete(file);
    w.write(file);
  }

  @Test
  void corruptVersionPromoted_isRefusedWithAReason_andTheOldOneKeepsServing() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    // Checksums match (republished after the damage): only the loader's checks can refuse it.
    long poisoned = TrainedRegistry.republish(registry, 1, d -> poisonTensor(d.resolve("baseline.safetensors"), "movie_bias"));
    try (ServerFixture f = start(registry, 0, 64).awaitServing(1)) {
      f.admin().promote(PromoteRequest.newBuilder().setAlias("production").setVersion(poisoned).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (f.server.models().failures().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      ServingStatus status = f.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance());
      assertEquals(poisoned, status.getFailedLoads(0).getVersion());
      assertFalse(status.getFailedLoads(0).getReason().isEmpty());
      assertEquals(1, status.getLoaded(0).getVersion());
      assertTrue(status.getServing());
      assertEquals(1, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(3).setK(3).build()).getServedBy().getVersion());
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("recsys_model_loads_total{result=\"failure\",} 1.0"), metrics);
    }
  }

  @Test
  void aliasPointingAtATamperedVersion_checksumMismatchRefused() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    try (ServerFixture f = start(registry, -1, 64).awaitServing(1)) {
      // Damage after publication, then point the alias at it as a tool that skips verification would.
      Path weights = new ModelRegistry(registry).versionDir("movielens", v2).resolve("ranking.pt");
      byte[] b = Files.readAllBytes(weights);
      b[b.length / 2] ^= 0x55;
      Files.write(weights, b);
      AtomicFiles.write(registry.resolve("movielens/aliases/production.json"),
          ("{\"name\":\"production\",\"version\":" + v2 + ",\"weight\":1.0,\"updated_at\":\"2026-01-01T00:00:00Z\"}").getBytes());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (f.server.models().failures().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(f.server.models().failures().getFirst().reason().contains("checksum mismatch in ranking.pt"),
          f.server.models().failures().toString());
      assertEquals(1, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(3).setK(3).build()).getServedBy().getVersion());
    }
  }

  @Test
  void canary_servesAStickyShareOfUsers_labelledByVersion() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    try (ServerFixture f = withCanary(start(registry, -1, 64).awaitServing(1), v2, 0.3)) {
      int canary = 0;
      for (long user = 1; user <= 400; user++) {
        RecommendResponse a = f.recommender().recommend(RecommendRequest.newBuilder().setUserId(user).setK(1).build());
        RecommendResponse b = f.recommender().recommend(RecommendRequest.newBuilder().setUserId(user).setK(1).build());
        assertEquals(a.getServedBy().getVersion(), b.getServedBy().getVersion(), "user " + user + " switched versions");
        if (a.getServedBy().getRoute().equals("canary")) {
          assertEquals(v2, a.getServedBy().getVersion());
          canary++;
        }
      }
      assertTrue(canary > 80 && canary < 160, canary + " of 400 users on the canary at weight 0.3");
    }
  }

  /** Regression: calls without a user id all went to the canary (the hash of key 0 is 0). */
  @Test
  void canary_keylessCalls_followTheWeight_andStick_forEveryRpc() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    try (ServerFixture f = withCanary(start(registry, -1, 64).awaitServing(1), v2, 0.3)) {
      java.util.Map<String, java.util.function.IntFunction<String>> rpcs = new java.util.LinkedHashMap<>();
      rpcs.put("RecommendForRatings", i -> f.recommender().recommendForRatings(dev.recsys.proto.v1.RecommendForRatingsRequest.newBuilder()
          .setProfile(profile(i)).setK(1).build()).getServedBy().getRoute());
      rpcs.put("SimilarMovies", i -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(i).setK(1).build())
          .getServedBy().getRoute());
      rpcs.put("Cluster(ratings)", i -> f.recommender().cluster(dev.recsys.proto.v1.ClusterRequest.newBuilder().setRatings(profile(i)).build())
          .getServedBy().getRoute());
      for (var rpc : rpcs.entrySet()) {
        int canary = 0;
        for (int i = 1; i <= 200; i++) {
          String route = rpc.getValue().apply(i);
          assertEquals(route, rpc.getValue().apply(i), rpc.getKey() + " request " + i + " switched routes");
          canary += route.equals("canary") ? 1 : 0;
        }
        assertTrue(canary > 30 && canary < 90, rpc.getKey() + ": " + canary + " of 200 keyless calls on the canary at weight 0.3");
      }
      // A sample of the serving model's users comes from production, whatever the canary's share
      // (it came from the canary, the route of key 0, for every load generator).
      for (int seed = 0; seed < 20; seed++) {
        var sample = f.admin().sampleUserIds(dev.recsys.proto.v1.SampleUserIdsRequest.newBuilder().setCount(5).setSeed(seed).build());
        assertEquals("production", sample.getServedBy().getRoute(), "seed " + seed);
        assertEquals(1, sample.getServedBy().getVersion());
      }
    }
  }

  /** Promotes {@code version} to canary at {@code weight} and waits until the server routes to it. */
  private static ServerFixture withCanary(ServerFixture f, long version, double weight) throws Exception {
    try {
      f.admin().promote(PromoteRequest.newBuilder().setAlias("canary").setVersion(version).setWeight(weight).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (f.server.models().snapshot().canary() != version && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      return f;
    } catch (Exception | AssertionError e) {
      f.close();
      throw e;
    }
  }

  /** A distinct two-movie rating profile per index (movie ids of ml-100k). */
  private static dev.recsys.proto.v1.RatingProfile profile(int i) {
    return dev.recsys.proto.v1.RatingProfile.newBuilder()
        .addRatings(dev.recsys.proto.v1.MovieRating.newBuilder().setMovieId(i).setRating(5))
        .addRatings(dev.recsys.proto.v1.MovieRating.newBuilder().setMovieId(i + 300).setRating(3))
        .build();
  }

  @Test
  void oversizedMessageOrMetadata_refusedByTheTransport_serverStaysHealthy() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    try (ServerFixture f = start(registry, -1, 64).awaitServing(1)) {
      // 5 MB of title: over the 4 MiB message limit, refused before the service sees it.
      StatusRuntimeException big = assertThrows(StatusRuntimeException.class, () -> f.recommender().similarMovies(
          SimilarMoviesRequest.newBuilder().setTitle("x".repeat(5 << 20)).setK(3).build()));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, big.getStatus().getCode(), big.getStatus().toString());

      // 16 KB of metadata: over the 8 KiB limit.
      io.grpc.Metadata headers = new io.grpc.Metadata();
      headers.put(io.grpc.Metadata.Key.of("x-padding", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "p".repeat(16 << 10));
      StatusRuntimeException fat = assertThrows(StatusRuntimeException.class, () -> f.recommender()
          .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
          .recommend(RecommendRequest.newBuilder().setUserId(3).setK(3).build()));
      // The server advertises its metadata limit in HTTP/2 settings; the headers are refused against
      // exactly that limit (8 KiB, the fixture's max-metadata-bytes), not some other failure.
      assertEquals(Status.Code.INTERNAL, fat.getStatus().getCode(), fat.getStatus().toString());
      Throwable cause = fat.getStatus().getCause();
      assertTrue(cause != null && String.valueOf(cause.getMessage()).contains("Header size exceeded max allowed size (8192)"),
          fat.getStatus() + " / " + cause);

      assertEquals(3, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(3).setK(3).build()).getMoviesCount());
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }
  }

  @Test
  void beyondTheCallLimit_resourceExhaustedAtOnce() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    try (ServerFixture f = start(registry, -1, 1).awaitServing(1)) {
      PredictRequest.Builder heavy = PredictRequest.newBuilder().setUserId(1);
      for (long m = 1; m <= 1000; m++) {
        heavy.addMovieIds(m);
      }
      AtomicInteger exhausted = new AtomicInteger();
      AtomicInteger ok = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 5; i++) {
            try {
              f.recommender().predict(heavy.build());
              ok.incrementAndGet();
            } catch (StatusRuntimeException e) {
              assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
              assertTrue(e.getStatus().getDescription().contains("limit of 1"));
              exhausted.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> t : tasks) {
        t.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(ok.get() > 0 && exhausted.get() > 0, ok + " ok, " + exhausted + " shed");
      // Health checks are never shed.
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }
  }

  @Test
  void callsThatWaitedTooLongForAWorker_areShed_andTheServerRecovers() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    // Four Predict calls hold the four workers; a Recommend sent then can only wait in the queue.
    CountDownLatch holding = new CountDownLatch(4);
    CountDownLatch release = new CountDownLatch(1);
    io.grpc.ServerInterceptor gate = holdPredictCalls(holding, release);
    ServerConfig config = ServerFixture.config(registry, -1, false, 64, java.time.Duration.ofMillis(50));
    ServerFixture f = ServerFixture.onPort(config, List.of(gate)).awaitServing(1);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<Status>> held = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        held.add(pool.submit(() -> status(() -> f.recommender().predict(PredictRequest.newBuilder().setUserId(1).addMovieIds(1).build()))));
      }
      assertTrue(holding.await(30, TimeUnit.SECONDS), "the workers are held");
      Future<Status> queued = pool.submit(() -> status(() -> f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(3).build())));
      Thread.sleep(200);
      assertFalse(queued.isDone(), "nothing can answer while the workers are held");
      release.countDown();
      Status refused = queued.get(30, TimeUnit.SECONDS);
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode(), refused.toString());
      assertTrue(refused.getDescription().matches("server is overloaded: the call waited \\d+ ms for a thread \\(limit 50 ms\\); retry with backoff"),
          refused.getDescription());
      for (Future<Status> h : held) {
        // These too waited (in the gate) past the limit before they reached admission.
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, h.get(30, TimeUnit.SECONDS).getCode());
      }
      // With the queue short again, calls are admitted.
      assertEquals(3, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(3).build()).getMoviesCount());
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    } finally {
      release.countDown();
      pool.shutdownNow();
      f.close();
    }
  }

  /**
   * Holds every Predict call on its worker thread, before the service sees it, until
   * {@code release} opens; counts {@code held} down as each one arrives.
   */
  private static io.grpc.ServerInterceptor holdPredictCalls(CountDownLatch held, CountDownLatch release) {
    return new io.grpc.ServerInterceptor() {
      @Override
      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers,
          io.grpc.ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getBareMethodName().equals("Predict")) {
          held.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return next.startCall(call, headers);
      }
    };
  }

  private static Status status(Runnable call) {
    try {
      call.run();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Test
  void shutdown_drainsCallsInFlight_thenRefusesNewOnes() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    // Holds Predict calls inside the server until released, so they are certainly in flight when
    // the shutdown starts (no sleeping and hoping).
    // Three held calls leave one of the four workers free to answer (or refuse) the probe calls.
    CountDownLatch started = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    io.grpc.ServerInterceptor gate = holdPredictCalls(started, release);
    ServerFixture f = ServerFixture.onPort(ServerFixture.config(registry, -1, false, 64), List.of(gate)).awaitServing(1);
    PredictRequest.Builder heavy = PredictRequest.newBuilder().setUserId(2);
    for (long m = 1; m <= 1000; m++) {
      heavy.addMovieIds(m);
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Integer>> inFlight = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      inFlight.add(pool.submit(() -> f.recommender().predict(heavy.build()).getPredictionsCount()));
    }
    assertTrue(started.await(30, TimeUnit.SECONDS), "the calls reached the server");
    Thread shutdown = Thread.ofPlatform().start(() -> f.server.shutdown(java.time.Duration.ofSeconds(20)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      // Once the shutdown has begun, new calls are refused while the held ones are still running.
      try {
        f.recommender().withDeadlineAfter(2, TimeUnit.SECONDS).recommend(RecommendRequest.newBuilder().setUserId(1).setK(1).build());
      } catch (StatusRuntimeException refused) {
        if (refused.getStatus().getCode() == Status.Code.UNAVAILABLE) {
          break;
        }
      }
      assertTrue(System.nanoTime() < deadline, "new calls were still accepted 10 s into the shutdown");
      Thread.sleep(20);
    }
    release.countDown();
    for (Future<Integer> r : inFlight) {
      assertEquals(1000, r.get(30, TimeUnit.SECONDS), "a call in flight was drained, not cut");
    }
    shutdown.join(30_000);
    assertFalse(shutdown.isAlive());
    pool.shutdown();
    f.channel.shutdownNow();
  }

}
