package dev.recsys.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Cli;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.RollbackRequest;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import dev.recsys.spark.testing.Ml100k;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer end to end: trains on ml-100k with {@code local[2]}, publishes into a registry
 * that already holds a one-machine version, and a real server (Netty, loopback port) serves the
 * Spark version, rolls back to the one-machine version and forward again.
 */
class SparkTrainServeTest {

  @Test
  void sparkVersionIsServedAndInterchangeableWithTheOneMachineVersion(@TempDir Path dir) throws Exception {
    Path registryDir = TrainedRegistry.copyInto(Files.createDirectory(dir.resolve("registry")));
    Path data = Ml100k.unpack(Files.createDirectory(dir.resolve("ml-100k")), "u.data", "u.item", "u.genre");
    // A movie in the catalogue that nobody rated (Animation|Children's): Spark's ALS has no factors for it.
    Files.writeString(data.resolve("u.item"), "1683|Unrated Cartoon (1998)|01-Jan-1998||http://example.org|0|0|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n",
        java.nio.charset.StandardCharsets.ISO_8859_1, java.nio.file.StandardOpenOption.APPEND);

    int code = Cli.run(new SparkTrainerMain(), "train", "--data", data.toString(), "--master", "local[2]", "--partitions", "4",
        "--registry", registryDir.toString(), "--name", TrainedRegistry.MODEL, "--promote", "production",
        "--rank", "16", "--explicit-reg", "0.05,0.1", "--implicit-alpha", "1,5", "--seed", "3");
    assertEquals(0, code);

    ModelRegistry registry = new ModelRegistry(registryDir);
    assertEquals(List.of(1L, 2L), registry.versionNumbers(TrainedRegistry.MODEL));
    Manifest spark = registry.verify(TrainedRegistry.MODEL, 2).manifest();
    assertEquals("spark", spark.hyperParameters().get("trainer").asString());
    assertEquals("ml-100k", spark.dataset().name());
    assertEquals(100_000, spark.dataset().ratings());
    // Quality on the held-out share, beside the simple baselines measured in the same run.
    var rmse = spark.metrics().get("validation_rmse");
    assertTrue(rmse.get("mf").asDouble() < rmse.get("baseline").asDouble(), "ALS beats the bias baseline: " + rmse);
    var ndcg = spark.metrics().get("validation_ndcg_at_10");
    assertTrue(ndcg.get("ials").asDouble() > 1.5 * ndcg.get("popularity").asDouble(), "implicit ALS well above popularity: " + ndcg);
    // ml-100k's fit part is small: the forest keeps the most trees of the automatic rule.
    assertEquals(100, spark.metrics().get("forest_trees").asInt());

    try (ServerFixture f = ServerFixture.onPort(ServerFixture.config(registryDir, 0, false, 64), List.of()).awaitServing(2)) {
      RecommendResponse top = f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(10).build());
      assertEquals(10, top.getMoviesCount());
      assertEquals(2, top.getServedBy().getVersion());
      Set<Long> rated = ratedBy(data, 1);
      for (ScoredMovie m : top.getMoviesList()) {
        assertFalse(rated.contains(m.getMovie().getMovieId()), "user 1 already rated " + m.getMovie().getTitle());
      }
      var predictions = f.recommender().predict(PredictRequest.newBuilder().setUserId(1).addMovieIds(50).addMovieIds(1).build());
      assertEquals(2, predictions.getPredictionsCount());
      predictions.getPredictionsList().forEach(p -> assertTrue(p.getRating() >= 1 && p.getRating() <= 5, "rating " + p.getRating()));
      assertTrue(f.recommender().cluster(ClusterRequest.newBuilder().setUserId(1).build()).getDistancesCount() >= 2);
      var similar = f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("Star Wars").setK(5).build());
      assertEquals(5, similar.getSimilarCount());
      // The unrated movie's similar movies come from its genres (they were the catalogue's first five at similarity 0).
      var cold = f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(1683).setK(5).build());
      assertEquals(5, cold.getSimilarCount());
      for (ScoredMovie m : cold.getSimilarList()) {
        assertTrue(m.getMovie().getGenresList().contains("Animation") || m.getMovie().getGenresList().contains("Children's"),
            m.getMovie().getTitle() + " " + m.getMovie().getGenresList());
      }

      // Promote and roll back across trainers: the server cannot tell the versions apart.
      f.admin().rollback(RollbackRequest.newBuilder().setModelName(TrainedRegistry.MODEL).setAlias("production").setReason("test").build());
      f.awaitServing(1);
      assertEquals(1, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(3).build()).getServedBy().getVersion());
      f.admin().promote(PromoteRequest.newBuilder().setModelName(TrainedRegistry.MODEL).setAlias("production").setVersion(2).setReason("test").build());
      f.awaitServing(2);
      assertEquals(2, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(3).build()).getServedBy().getVersion());
    }
  }

  @Test
  void aFailedJobPublishesNothingAndExitsWithTheCause(@TempDir Path dir) throws Exception {
    Path registryDir = dir.resolve("registry");
    Path data = Ml100k.unpack(Files.createDirectory(dir.resolve("ml-100k")), "u.item", "u.genre");
    Path notParquet = Files.writeString(dir.resolve("ratings.parquet"), "1,1,4,881250949\n");
    int code = Cli.run(new SparkTrainerMain(), "train", "--data", data.toString(), "--master", "local[2]", "--partitions", "2",
        "--registry", registryDir.toString(), "--parquet", notParquet.toUri().toString());
    assertEquals(Cli.EXIT_FAILURE, code);
    ModelRegistry registry = new ModelRegistry(registryDir);
    assertEquals(List.of(), registry.versionNumbers(TrainedRegistry.MODEL));
    if (Files.isDirectory(registry.modelDir(TrainedRegistry.MODEL))) {
      try (Stream<Path> left = Files.list(registry.modelDir(TrainedRegistry.MODEL))) {
        assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
      }
    }
  }

  private static Set<Long> ratedBy(Path data, long user) throws java.io.IOException {
    try (Stream<String> lines = Files.lines(data.resolve("u.data"))) {
      return lines.map(l -> l.split("\t")).filter(f -> Long.parseLong(f[0]) == user).map(f -> Long.parseLong(f[1])).collect(Collectors.toSet());
    }
  }
}
