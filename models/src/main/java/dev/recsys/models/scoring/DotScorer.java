package dev.recsys.models.scoring;

import dev.recsys.models.embedding.EmbeddingTables;

/**
 * Scores one user vector against every movie: {@code score[i] = bias[i] + <user, item_i>}.
 *
 * <p>The movie embeddings are held dimension-major, one contiguous array per dimension
 * ({@code columns[k][i]}), so the inner loop is an AXPY ({@code score[i] += user[k] * column_k[i]})
 * with the same index on both arrays: C2's SuperWord compiles it to SIMD instructions (measured: 2x
 * slower with {@code -XX:-UseSuperWord}). With a single flattened array and an offset index the JIT
 * cannot rule out overlap between the load and the store, and the loop stays scalar. The loop runs
 * over blocks of movies small enough for the partial scores to stay in the L1 cache while every
 * dimension is added in. Immutable and thread-safe; callers supply the output array.
 */
public final class DotScorer {

  /**
   * Movies per block: 65,536 partial scores = 256 kB, inside L2. Each pass over a block streams four
   * dimension columns from memory; longer streams let the hardware prefetcher reach full speed.
   * Measured (JMH, 64 dimensions, share of the bandwidth baseline at 100k / 1M movies): 4k blocks
   * 47% / 64%, 16k 68% / 69%, 64k 87% / 82%, 256k 83% / 83%.
   */
  static final int BLOCK = 65536;

  private final int items;
  private final int dim;
  private final float[][] columns;
  private final float[] biases;

  /**
   * @param rowMajorItems {@code items * dim} item embeddings, row-major (as in {@link EmbeddingTables})
   * @param biases one bias per item
   */
  public DotScorer(float[] rowMajorItems, float[] biases, int items, int dim) {
    if (rowMajorItems.length != items * dim || biases.length != items) {
      throw new IllegalArgumentException("item matrix is not items x dim");
    }
    this.items = items;
    this.dim = dim;
    this.biases = biases.clone();
    this.columns = new float[dim][items];
    for (int i = 0; i < items; i++) {
      for (int k = 0; k < dim; k++) {
        columns[k][i] = rowMajorItems[i * dim + k];
      }
    }
  }

  /** A scorer over a model's item embeddings and item biases. */
  public static DotScorer of(EmbeddingTables model) {
    return new DotScorer(model.itemEmbeddings(), model.itemBiases(), model.items(), model.dim());
  }

  public int items() {
    return items;
  }

  public int dim() {
    return dim;
  }

  /** Writes {@code items()} scores of {@code user} (length {@code dim()}) into {@code out}. */
  public void score(float[] user, float[] out) {
    for (int start = 0; start < items; start += BLOCK) {
      int end = Math.min(items, start + BLOCK);
      System.arraycopy(biases, start, out, start, end - start);
      int k = 0;
      // Four dimensions per pass: one load and one store of the partial score per four
      // multiply-adds instead of per one (measured 1.8x faster than one dimension per pass).
      for (; k + 4 <= dim; k += 4) {
        axpy4(user[k], columns[k], user[k + 1], columns[k + 1], user[k + 2], columns[k + 2], user[k + 3], columns[k + 3],
            out, start, end);
      }
      for (; k < dim; k++) {
        axpy(user[k], columns[k], out, start, end);
      }
    }
  }

  /** {@code out[i] += u * column[i]} for i in [start, end): the vectorised inner loop. */
  private static void axpy(float u, float[] column, float[] out, int start, int end) {
    for (int i = start; i < end; i++) {
      out[i] += u * column[i];
    }
  }

  /** {@code out[i] += u0 a[i] + u1 b[i] + u2 c[i] + u3 d[i]}: four dimensions in one vectorised pass. */
  private static void axpy4(float u0, float[] a, float u1, float[] b, float u2, float[] c, float u3, float[] d, float[] out,
      int start, int end) {
    for (int i = start; i < end; i++) {
      out[i] += u0 * a[i] + u1 * b[i] + u2 * c[i] + u3 * d[i];
    }
  }

  /** Bytes of the movie matrix a full scoring pass reads. */
  public long bytesPerPass() {
    return 4L * items * (dim + 1);
  }
}
