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

  /** One block of partial scores per thread, for {@link #top}. */
  private static final ThreadLocal<float[]> BLOCK_SCORES = ThreadLocal.withInitial(() -> new float[BLOCK]);

  private final int items;
  private final int dim;
  /**
   * {@code blocks[b][k]}: dimension k of the movies of block b ({@code BLOCK} movies, fewer in the
   * last); {@code blocks[b][dim]} holds their biases. Blocked so every loop indexes from 0.
   */
  private final float[][][] blocks;

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
    this.blocks = new float[(items + BLOCK - 1) / BLOCK][][];
    for (int b = 0; b < blocks.length; b++) {
      int first = b * BLOCK;
      int length = Math.min(BLOCK, items - first);
      float[][] columns = new float[dim + 1][length];
      for (int i = 0; i < length; i++) {
        for (int k = 0; k < dim; k++) {
          columns[k][i] = rowMajorItems[(first + i) * dim + k];
        }
      }
      System.arraycopy(biases, first, columns[dim], 0, length);
      blocks[b] = columns;
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
    float[] block = BLOCK_SCORES.get();
    for (int b = 0; b < blocks.length; b++) {
      int length = scoreBlock(user, b, block);
      System.arraycopy(block, 0, out, b * BLOCK, length);
    }
  }

  /**
   * The {@code k} best-scored movies that {@code filter} accepts, best first, without writing the
   * catalogue's scores out: each block's scores are selected from while they are still in L2, so
   * memory sees one pass over the movie matrix and no pass over an N-float score array (at 1M movies
   * the separate top-k pass re-read 4 MB per call).
   */
  public TopK.Result top(float[] user, int k, TopK.Filter filter) {
    float[] block = BLOCK_SCORES.get();
    TopK top = new TopK(k, filter);
    for (int b = 0; b < blocks.length; b++) {
      int length = scoreBlock(user, b, block);
      top.offer(block, 0, length, b * BLOCK);
    }
    return top.result();
  }

  /** Scores the movies of block {@code b} into {@code out[0, length)}; returns the length. */
  private int scoreBlock(float[] user, int b, float[] out) {
    float[][] columns = blocks[b];
    int length = columns[dim].length;
    System.arraycopy(columns[dim], 0, out, 0, length);
    int k = 0;
    // Four dimensions per pass: one load and one store of the partial score per four
    // multiply-adds instead of per one (measured 1.8x faster than one dimension per pass).
    for (; k + 4 <= dim; k += 4) {
      axpy4(user[k], columns[k], user[k + 1], columns[k + 1], user[k + 2], columns[k + 2], user[k + 3], columns[k + 3], out, length);
    }
    for (; k < dim; k++) {
      axpy(user[k], columns[k], out, length);
    }
    return length;
  }

  /**
   * {@code out[i] += u * column[i]} for i in [0, length): the vectorised inner loop. The same index
   * on both arrays and no offset: with an offset on either side (measured: {@code out[i + shift]})
   * C2 cannot rule out a loop-carried dependence and the kernel ran 2x slower.
   */
  private static void axpy(float u, float[] column, float[] out, int length) {
    for (int i = 0; i < length; i++) {
      out[i] += u * column[i];
    }
  }

  /** {@code out[i] += u0 a[i] + u1 b[i] + u2 c[i] + u3 d[i]}: four dimensions in one vectorised pass. */
  private static void axpy4(float u0, float[] a, float u1, float[] b, float u2, float[] c, float u3, float[] d, float[] out,
      int length) {
    for (int i = 0; i < length; i++) {
      out[i] += u0 * a[i] + u1 * b[i] + u2 * c[i] + u3 * d[i];
    }
  }

  /** Bytes of the movie matrix a full scoring pass reads. */
  public long bytesPerPass() {
    return 4L * items * (dim + 1);
  }
}
