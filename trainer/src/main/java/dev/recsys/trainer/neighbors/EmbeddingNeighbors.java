package dev.recsys.trainer.neighbors;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Item neighbours by the cosine of movie embeddings (exhaustive: items x items x dim). The work
 * splits by movie: {@link #build} runs the slices on this machine's cores, the Spark trainer runs
 * {@link #nearest} slices on its executors and joins them with {@link #assemble}.
 */
public final class EmbeddingNeighbors {

  /** Neighbours and cosines of the movies of a slice, in slice order. */
  public record Slice(int from, int[][] neighbors, float[][] similarities) implements java.io.Serializable {}

  private EmbeddingNeighbors() {}

  public static ItemNeighbors build(EmbeddingTables model, int k) {
    int items = model.items();
    int dim = model.dim();
    float[] unit = unitRows(model.itemEmbeddings(), items, dim);
    DotScorer scorer = scorer(unit, items, dim);
    // Slices in parallel (each with its own buffers; the scorer is thread-safe): the whole table is
    // items x items x dim multiply-adds, minutes at tens of thousands of movies on one core.
    int slices = Math.max(1, Math.min(items, 4 * Runtime.getRuntime().availableProcessors()));
    Slice[] parts = IntStream.range(0, slices).parallel()
        .mapToObj(s -> nearest(scorer, unit, items, dim, k, (int) ((long) items * s / slices), (int) ((long) items * (s + 1) / slices)))
        .toArray(Slice[]::new);
    return assemble(items, Arrays.asList(parts));
  }

  /** The rows of {@code embeddings} scaled to unit length (zero rows stay zero). */
  public static float[] unitRows(float[] embeddings, int items, int dim) {
    float[] unit = new float[items * dim];
    for (int i = 0; i < items; i++) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        norm += embeddings[i * dim + d] * embeddings[i * dim + d];
      }
      double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
      for (int d = 0; d < dim; d++) {
        unit[i * dim + d] = (float) (embeddings[i * dim + d] * scale);
      }
    }
    return unit;
  }

  /** A scorer of every movie against a query, over unit rows (thread-safe: one serves every slice). */
  public static DotScorer scorer(float[] unit, int items, int dim) {
    return new DotScorer(unit, new float[items], items, dim);
  }

  /**
   * The {@code k} nearest other movies of movies {@code [from, to)} among unit rows {@code unit},
   * scored by {@code scorer} (built by {@link #scorer} over the same rows).
   */
  public static Slice nearest(DotScorer scorer, float[] unit, int items, int dim, int k, int from, int to) {
    float[] scores = new float[items];
    float[] query = new float[dim];
    int[][] top = new int[to - from][];
    float[][] sims = new float[to - from][];
    for (int i = from; i < to; i++) {
      System.arraycopy(unit, i * dim, query, 0, dim);
      scorer.score(query, scores);
      int self = i;
      int[] best = TopK.select(scores, items, k, j -> j != self);
      float[] s = new float[best.length];
      for (int t = 0; t < best.length; t++) {
        s[t] = scores[best[t]];
      }
      top[i - from] = best;
      sims[i - from] = s;
    }
    return new Slice(from, top, sims);
  }

  /** One table from slices that together cover movies {@code 0 .. items-1} once (in any order). */
  public static ItemNeighbors assemble(int items, java.util.List<Slice> slices) {
    int[][] top = new int[items][];
    float[][] sims = new float[items][];
    for (Slice s : slices) {
      for (int j = 0; j < s.neighbors().length; j++) {
        top[s.from() + j] = s.neighbors()[j];
        sims[s.from() + j] = s.similarities()[j];
      }
    }
    int[] offsets = new int[items + 1];
    int total = 0;
    for (int i = 0; i < items; i++) {
      if (top[i] == null) {
        throw new IllegalArgumentException("no slice covers movie " + i);
      }
      total += top[i].length;
    }
    int[] neighbors = new int[total];
    float[] similarities = new float[total];
    int n = 0;
    for (int i = 0; i < items; i++) {
      System.arraycopy(top[i], 0, neighbors, n, top[i].length);
      System.arraycopy(sims[i], 0, similarities, n, sims[i].length);
      n += top[i].length;
      offsets[i + 1] = n;
    }
    return new ItemNeighbors(offsets, neighbors, similarities);
  }
}
