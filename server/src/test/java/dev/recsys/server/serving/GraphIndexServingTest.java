package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.ann.MovieIndex;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.RecommendationFilter;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.server.config.ServerConfig;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import dev.recsys.trainer.publish.SyntheticVersion;
import dev.recsys.trainer.publish.VersionPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version that carries a graph index is served through it over real gRPC: filters hold exactly,
 * answers match exact scoring's closely, the status says so, and an index of other vectors is
 * refused while the serving version keeps serving.
 */
class GraphIndexServingTest {

  static final int MOVIES = 4_000;

  @TempDir static Path dir;
  static Path registry;

  @BeforeAll
  static void publish() throws Exception {
    registry = dir.resolve("registry");
    // Every catalogue gets an index here (threshold 1); the same shape under another seed supplies the foreign index.
    VersionPublisher.publish(new ModelRegistry(registry), TrainedRegistry.MODEL,
        SyntheticVersion.build(new SyntheticVersion.Spec(MOVIES, 300, 20, 16, 10, 5)), Optional.of("production"), "test", null, 1);
    VersionPublisher.publish(new ModelRegistry(dir.resolve("other")), TrainedRegistry.MODEL,
        SyntheticVersion.build(new SyntheticVersion.Spec(MOVIES, 300, 20, 16, 10, 6)), Optional.empty(), "test", null, 1);
  }

  static ServerConfig config(boolean graphIndex) {
    return config(registry, graphIndex);
  }

  static ServerConfig config(Path registry, boolean graphIndex) {
    return ServerFixture.graphIndex(registry, graphIndex, java.time.Duration.ofMillis(300));
  }

  @Test
  void recommend_throughTheGraph_keepsEveryFilter_andFindsWhatExactScoringFinds() throws Exception {
    try (ServerFixture graph = ServerFixture.onPort(config(true), List.of()).awaitServing(1);
        ServerFixture exact = ServerFixture.onPort(config(false), List.of()).awaitServing(1)) {
      assertTrue(graph.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance()).getLoaded(0).getDevice()
          .contains("graph index"));
      assertFalse(exact.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance()).getLoaded(0).getDevice()
          .contains("graph index"));
      int found = 0;
      int wanted = 0;
      for (long user = 1; user <= 60; user += 2) {
        RecommendResponse unfiltered = exact.recommender().recommend(RecommendRequest.newBuilder().setUserId(user).setK(5).build());
        // Exclude exact scoring's own best three, and ask for two genres.
        RecommendationFilter.Builder filter = RecommendationFilter.newBuilder().addGenres("Drama").addGenres("Comedy");
        unfiltered.getMoviesList().stream().limit(3).forEach(m -> filter.addExcludeMovieIds(m.getMovie().getMovieId()));
        RecommendRequest request = RecommendRequest.newBuilder().setUserId(user).setK(10).setFilter(filter).build();
        RecommendResponse fromGraph = graph.recommender().recommend(request);
        RecommendResponse truth = exact.recommender().recommend(request);
        assertEquals(10, fromGraph.getMoviesCount());
        Set<Long> excluded = new HashSet<>(filter.getExcludeMovieIdsList());
        Set<Long> truthIds = new HashSet<>();
        truth.getMoviesList().forEach(m -> truthIds.add(m.getMovie().getMovieId()));
        for (ScoredMovie m : fromGraph.getMoviesList()) {
          assertFalse(excluded.contains(m.getMovie().getMovieId()), "excluded movie returned for user " + user);
          assertTrue(m.getMovie().getGenresList().contains("Drama") || m.getMovie().getGenresList().contains("Comedy"),
              m.getMovie().toString());
          found += truthIds.contains(m.getMovie().getMovieId()) ? 1 : 0;
        }
        wanted += truthIds.size();
      }
      assertTrue(found >= 0.9 * wanted, "graph answers hold " + found + " of exact scoring's " + wanted);
    }
  }

  @Test
  void warmUp_makesEveryKindOfCall_andStopsAtItsBudget() throws Exception {
    var check = new ModelRegistry(registry).verify(TrainedRegistry.MODEL, 1);
    var bundle = dev.recsys.models.bundle.ModelBundle.load(check.dir(), check.manifest(), true);
    try (var engine = new dev.recsys.server.engine.ModelEngine(1, bundle,
        new dev.recsys.server.scoring.CpuScoring(bundle.ranking().movies()),
        dev.recsys.server.engine.VectorCache.NONE)) {
      assertEquals(64, WarmUp.run(engine, java.time.Duration.ofSeconds(60), 64).calls());
      WarmUp.Result bounded = WarmUp.run(engine, java.time.Duration.ofMillis(50), Integer.MAX_VALUE);
      assertTrue(bounded.calls() > 0 && bounded.seconds() < 10, bounded.toString());
    }
  }

  @Test
  void anIndexOfOtherVectors_isRefused_andTheServingVersionKeepsServing() throws Exception {
    Path foreign = new ModelRegistry(dir.resolve("other")).versionDir(TrainedRegistry.MODEL, 1);
    // A copy of the registry: promoting here must not move the other tests' production alias.
    Path own = dir.resolve("own-registry");
    try (var walk = Files.walk(registry)) {
      for (Path p : walk.toList()) {
        Files.copy(p, own.resolve(registry.relativize(p).toString()));
      }
    }
    // Checksums match the swapped files (republished after the swap): only the loader's check can refuse it.
    long swapped = TrainedRegistry.republish(own, 1, staged -> {
      try (var files = Files.list(foreign)) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith(MovieIndex.FILE_PREFIX)).toList()) {
          Files.copy(f, staged.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    });
    try (ServerFixture f = ServerFixture.onPort(config(own, true), List.of()).awaitServing(1)) {
      f.admin().promote(PromoteRequest.newBuilder().setAlias("production").setVersion(swapped).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (f.server.models().failures().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(f.server.models().failures().getFirst().reason().contains("does not index this version's movies"),
          f.server.models().failures().toString());
      assertEquals(1, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(3).setK(3).build()).getServedBy().getVersion());
    }
  }
}
