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
    float[] scores = new float[items];
    float[] query = new float[dim];
    int[] offsets = new int[items + 1];
    int[] neighbors = new int[items * k];
    float[] sims = new float[items * k];
    int n = 0;
    for (int i = 0; i < items; i++) {
      System.arraycopy(unit, i * dim, query, 0, dim);
      scorer.score(query, scores);
      int self = i;
      int[] top = TopK.select(scores, items, k, j -> j != self);
      for (int j : top) {
        neighbors[n] = j;
        sims[n++] = scores[j];
      }
      offsets[i + 1] = n;
    }
    return new ItemNeighbors(offsets, java.util.Arrays.copyOf(neighbors, n), java.util.Arrays.copyOf(sims, n));
  }
}
