package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.Diversifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Movies nobody rated in training get their genre profile instead of an untrained embedding: the
 * mean embedding of rated movies with the same genres (or, failing that, of rated movies weighted by
 * genre overlap), a low bias (the 10th percentile of those movies', so new titles join lists without
 * flooding them), and as similar movies the most rated movies of the closest genres.
 */
public final class ColdMovies {

  private ColdMovies() {}

  /** A copy of {@code model} whose unrated movies carry genre-profile embeddings and biases. */
  public static EmbeddingTables fillEmbeddings(EmbeddingTables model, Catalog catalog, int[] counts) {
    int dim = model.dim();
    float[] q = model.itemEmbeddings().clone();
    float[] b = model.itemBiases().clone();
    int[] rated = IntStream.range(0, counts.length).filter(m -> counts[m] > 0).toArray();
    for (int m = 0; m < counts.length; m++) {
      if (counts[m] > 0) {
        continue;
      }
      long mask = catalog.genreMask(m);
      double[] sum = new double[dim];
      double weightSum = 0;
      double[] weights = new double[rated.length];
      boolean exact = Arrays.stream(rated).anyMatch(r -> catalog.genreMask(r) == mask);
      for (int k = 0; k < rated.length; k++) {
        int r = rated[k];
        double w = exact ? (catalog.genreMask(r) == mask ? 1 : 0) : Diversifier.jaccard(mask, catalog.genreMask(r));
        weights[k] = w;
        if (w > 0) {
          for (int d = 0; d < dim; d++) {
            sum[d] += w * model.itemEmbeddings()[r * dim + d];
          }
          weightSum += w;
        }
      }
      float[] biases = new float[rated.length];
      int used = 0;
      for (int k = 0; k < rated.length; k++) {
        if (weights[k] > 0) {
          biases[used++] = model.itemBiases()[rated[k]];
        }
      }
      Arrays.sort(biases, 0, used);
      for (int d = 0; d < dim; d++) {
        q[m * dim + d] = weightSum == 0 ? 0 : (float) (sum[d] / weightSum);
      }
      b[m] = used == 0 ? lowBias(model.itemBiases(), rated) : biases[(int) (used * 0.1)];
    }
    return new EmbeddingTables(model.users(), model.items(), dim, model.userEmbeddings(), q, model.userBiases(), b, model.globalBias());
  }

  private static float lowBias(float[] biases, int[] rated) {
    float[] sorted = new float[rated.length];
    for (int k = 0; k < rated.length; k++) {
      sorted[k] = biases[rated[k]];
    }
    Arrays.sort(sorted);
    return sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.1)];
  }

  /**
   * A copy of {@code table} in which movies without neighbours get the {@code k} most rated movies of
   * the closest genres (similarity = genre Jaccard, scaled to stay below any co-rating similarity).
   */
  public static ItemNeighbors fillNeighbors(ItemNeighbors table, Catalog catalog, int[] counts, int k) {
    int items = table.items();
    Integer[] byPopularity = IntStream.range(0, items).boxed().filter(m -> counts[m] > 0)
        .sorted(Comparator.comparingInt((Integer m) -> -counts[m]).thenComparingInt(m -> m)).toArray(Integer[]::new);
    int[] offsets = new int[items + 1];
    int[][] lists = new int[items][];
    float[][] sims = new float[items][];
    for (int m = 0; m < items; m++) {
      int n = table.end(m) - table.start(m);
      if (n > 0) {
        lists[m] = new int[n];
        sims[m] = new float[n];
        for (int i = 0; i < n; i++) {
          lists[m][i] = table.neighbor(table.start(m) + i);
          sims[m][i] = table.similarity(table.start(m) + i);
        }
      } else {
        long mask = catalog.genreMask(m);
        int movie = m;
        Integer[] best = Arrays.stream(byPopularity).filter(o -> o != movie)
            .sorted(Comparator.comparingDouble((Integer o) -> -Diversifier.jaccard(mask, catalog.genreMask(o))))
            .limit(k).toArray(Integer[]::new);
        lists[m] = new int[best.length];
        sims[m] = new float[best.length];
        for (int i = 0; i < best.length; i++) {
          lists[m][i] = best[i];
          sims[m][i] = (float) (0.01 * Diversifier.jaccard(mask, catalog.genreMask(best[i])));
        }
      }
      offsets[m + 1] = offsets[m] + lists[m].length;
    }
    int[] neighbors = new int[offsets[items]];
    float[] similarities = new float[offsets[items]];
    for (int m = 0; m < items; m++) {
      System.arraycopy(lists[m], 0, neighbors, offsets[m], lists[m].length);
      System.arraycopy(sims[m], 0, similarities, offsets[m], sims[m].length);
    }
    return new ItemNeighbors(offsets, neighbors, similarities);
  }
}
