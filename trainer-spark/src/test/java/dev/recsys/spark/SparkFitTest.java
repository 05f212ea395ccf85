package dev.recsys.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.segments.Centroids;
import dev.recsys.spark.fit.FactorNeighbors;
import dev.recsys.spark.fit.SparkKMeans;
import dev.recsys.spark.fit.ValidationSplit;
import dev.recsys.spark.testing.LocalSpark;
import dev.recsys.trainer.neighbors.EmbeddingNeighbors;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** The cluster-side pieces against their one-machine counterparts and planted answers. */
class SparkFitTest extends LocalSpark {

  @Test
  void neighbourTablesOnTheClusterEqualTheOneMachineTables() {
    SplittableRandom random = new SplittableRandom(5);
    int movies = 301;
    int dim = 8;
    float[] q = new float[movies * dim];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) random.nextGaussian();
    }
    EmbeddingTables model = new EmbeddingTables(1, movies, dim, new float[dim], q, new float[1], new float[movies], 0);
    ItemNeighbors local = EmbeddingNeighbors.build(model, 10);
    ItemNeighbors cluster = FactorNeighbors.build(JavaSparkContext.fromSparkContext(spark.sparkContext()), q, movies, dim, 10, 7);
    for (int m = 0; m < movies; m++) {
      assertArrayEquals(row(local, m), row(cluster, m), "movie " + m);
      assertEquals(10, cluster.end(m) - cluster.start(m));
    }
  }

  private static int[] row(ItemNeighbors table, int movie) {
    return IntStream.range(table.start(movie), table.end(movie)).map(table::neighbor).toArray();
  }

  @Test
  void kMeansFindsPlantedClusters() {
    SplittableRandom random = new SplittableRandom(9);
    int dim = 4;
    int n = 600;
    float[] points = new float[n * dim];
    for (int i = 0; i < n; i++) {
      int cluster = i % 3;
      for (int d = 0; d < dim; d++) {
        points[i * dim + d] = (float) ((d == cluster ? 10 : 0) + 0.3 * random.nextGaussian());
      }
    }
    Centroids c = SparkKMeans.centroids(spark, points, dim, IntStream.range(0, n).toArray(), 3, 1);
    assertEquals(3, c.k());
    int[] labels = c.assignAll(points, n);
    for (int i = 3; i < n; i++) {
      assertEquals(labels[i % 3], labels[i], "point " + i + " left its planted cluster");
    }
    assertEquals(3, IntStream.of(labels).distinct().count());
  }

  @Test
  void validationSplitHoldsOutTheShareAndDependsOnTheSeed() {
    int held = 0;
    int differ = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      long user = 1 + i / 400;
      long movie = 1 + i % 400;
      boolean a = ValidationSplit.heldOut(user, movie, 42, 0.15);
      held += a ? 1 : 0;
      differ += a != ValidationSplit.heldOut(user, movie, 43, 0.15) ? 1 : 0;
      assertEquals(a, ValidationSplit.heldOut(user, movie, 42, 0.15));
    }
    assertEquals(0.15, held / (double) n, 0.005);
    assertTrue(differ > n / 5, "another seed holds out other pairs: " + differ);
  }
}
