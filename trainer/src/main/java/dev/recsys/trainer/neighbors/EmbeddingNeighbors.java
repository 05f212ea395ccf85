package dev.recsys.trainer.neighbors;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;

/** Item neighbours by the cosine of movie embeddings (exhaustive: items x items x dim). */
public final class EmbeddingNeighbors {

  private EmbeddingNeighbors() {}

  public static ItemNeighbors build(EmbeddingTables model, int k) {
    int items = model.items();
    int dim = model.dim();
    float[] unit = new float[items * dim];
    for (int i = 0; i < items; i++) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        norm += model.itemEmbeddings()[i * dim + d] * model.itemEmbeddings()[i * dim + d];
      }
      double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
      for (int d = 0; d < dim; d++) {
        unit[i * dim + d] = (float) (model.itemEmbeddings()[i * dim + d] * scale);
      }
    }
    DotScorer scorer = new DotScorer(unit, new float[items], items, dim);
    int[][] topItems = new int[items][];
    float[][] topSims = new float[items][];
    // Movies in parallel (each with its own buffers; the scorer is thread-safe): the whole table is
    // items x items x dim multiply-adds, minutes at tens of thousands of movies on one core.
    int chunks = Math.max(1, Math.min(items, 4 * Runtime.getRuntime().availableProcessors()));
    java.util.stream.IntStream.range(0, chunks).parallel().forEach(chunk -> {
      float[] scores = new float[items];
      float[] query = new float[dim];
      for (int i = chunk; i < items; i += chunks) {
        System.arraycopy(unit, i * dim, query, 0, dim);
        scorer.score(query, scores);
        int self = i;
        int[] top = TopK.select(scores, items, k, j -> j != self);
        float[] s = new float[top.length];
        for (int t = 0; t < top.length; t++) {
          s[t] = scores[top[t]];
        }
        topItems[i] = top;
        topSims[i] = s;
      }
    });
    int[] offsets = new int[items + 1];
    int[] neighbors = new int[items * k];
    float[] sims = new float[items * k];
    int n = 0;
    for (int i = 0; i < items; i++) {
      System.arraycopy(topItems[i], 0, neighbors, n, topItems[i].length);
      System.arraycopy(topSims[i], 0, sims, n, topSims[i].length);
      n += topItems[i].length;
      offsets[i + 1] = n;
    }
    return new ItemNeighbors(offsets, java.util.Arrays.copyOf(neighbors, n), java.util.Arrays.copyOf(sims, n));
  }
}
