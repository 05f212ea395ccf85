package dev.recsys.spark.fit;

import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.trainer.neighbors.EmbeddingNeighbors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Each movie's nearest movies by the cosine of their factors, computed on the executors: the unit
 * factor rows are broadcast, each task ranks every movie against one slice of movies (the
 * one-machine trainer's {@link EmbeddingNeighbors#nearest}), the driver joins the slices.
 */
public final class FactorNeighbors {

  private FactorNeighbors() {}

  /**
   * @param factors movie factor rows in catalogue order ({@code dim} values each)
   * @param k neighbours per movie
   * @param slices tasks (a few per executor core)
   */
  public static ItemNeighbors build(JavaSparkContext sc, float[] factors, int movies, int dim, int k, int slices) {
    Broadcast<float[]> unit = sc.broadcast(EmbeddingNeighbors.unitRows(factors, movies, dim));
    int n = Math.max(1, Math.min(slices, movies));
    List<int[]> ranges = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      ranges.add(new int[] {(int) ((long) movies * s / n), (int) ((long) movies * (s + 1) / n)});
    }
    List<EmbeddingNeighbors.Slice> parts = sc.parallelize(ranges, n)
        .map(r -> EmbeddingNeighbors.nearest(EmbeddingNeighbors.scorer(unit.value(), movies, dim), unit.value(), movies, dim, k, r[0], r[1]))
        .collect();
    unit.destroy();
    return EmbeddingNeighbors.assemble(movies, parts);
  }
}
