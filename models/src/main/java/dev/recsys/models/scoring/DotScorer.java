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

  /**
   * Movies per tile of a batched pass ({@link #top(float[][], int, TopK.Filter[])}): 2,048 movies x
   * 65 columns = 520 kB, which stays in L2 while every user of the batch is scored against it, so the
   * movie matrix is read from memory once per batch instead of once per user.
   */
  static final int TILE = 2048;

  /** One block of partial scores per thread, for {@link #top}. */
  private static final ThreadLocal<float[]> BLOCK_SCORES = ThreadLocal.withInitial(() -> new float[BLOCK]);

  /** One block of partial scores per user of a batch, per thread (the batcher's). */
  private static final ThreadLocal<float[][]> BATCH_SCORES = ThreadLocal.withInitial(() -> new float[0][]);

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

  /**
   * The {@code k} best movies of each user of a batch ({@code filters[u]} for {@code users[u]}), in
   * one pass over the movie matrix: each tile of {@link #TILE} movies is scored for every user while
   * it is in cache, and each user selects from their tile's scores at once. Every answer equals
   * {@link #top(float[], int, TopK.Filter)}'s for that user. For a batcher's single thread.
   */
  public TopK.Result[] top(float[][] users, int k, TopK.Filter[] filters) {
    int n = users.length;
    float[][] out = batchScores(n);
    TopK[] tops = new TopK[n];
    for (int u = 0; u < n; u++) {
      tops[u] = new TopK(k, filters[u]);
    }
    for (int b = 0; b < blocks.length; b++) {
      int length = blocks[b][dim].length;
      for (int from = 0; from < length; from += TILE) {
        int to = Math.min(length, from + TILE);
        for (int u = 0; u < n; u++) {
          scoreRange(users[u], b, out[u], from, to);
          tops[u].offer(out[u], from, to, b * BLOCK);
        }
      }
    }
    TopK.Result[] results = new TopK.Result[n];
    for (int u = 0; u < n; u++) {
      results[u] = tops[u].result();
    }
    return results;
  }

  private static float[][] batchScores(int users) {
    float[][] out = BATCH_SCORES.get();
    if (out.length < users) {
      float[][] grown = java.util.Arrays.copyOf(out, users);
      for (int u = out.length; u < users; u++) {
        grown[u] = new float[BLOCK];
      }
      BATCH_SCORES.set(grown);
      out = grown;
    }
    return out;
  }

  /** Scores the movies of block {@code b} into {@code out[0, length)}; returns the length. */
  private int scoreBlock(float[] user, int b, float[] out) {
    int length = blocks[b][dim].length;
    scoreRange(user, b, out, 0, length);
    return length;
  }

  /** Scores movies {@code [from, to)} of block {@code b} into {@code out[from, to)}. */
  private void scoreRange(float[] user, int b, float[] out, int from, int to) {
    float[][] columns = blocks[b];
    System.arraycopy(columns[dim], from, out, from, to - from);
    int k = 0;
    // Eight dimensions per pass: one load and one store of the partial score per eight
    // multiply-adds. Four per pass measured 1.8x faster than one; eight another 9% at 10k movies x
    // 64 (JMH, 36.6 -> 33.2 us), a few percent at 100k and 1M once compiled (docs/benchmarks.md).
    for (; k + 8 <= dim; k += 8) {
      axpy8(user, k, columns, out, from, to);
    }
    for (; k + 4 <= dim; k += 4) {
      axpy4(user[k], columns[k], user[k + 1], columns[k + 1], user[k + 2], columns[k + 2], user[k + 3], columns[k + 3], out, from, to);
    }
    for (; k < dim; k++) {
      axpy(user[k], columns[k], out, from, to);
    }
  }

  /**
   * {@code out[i] += u * column[i]} for i in [from, to): the vectorised inner loop. The same index
   * on both arrays: with an offset between them (measured: {@code out[i + shift]}) C2 cannot rule
   * out a loop-carried dependence and the kernel ran 2x slower.
   */
  private static void axpy(float u, float[] column, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] += u * column[i];
    }
  }

  /** Dimensions {@code k .. k + 7} in one vectorised pass, as two groups of four added together. */
  private static void axpy8(float[] user, int k, float[][] columns, float[] out, int from, int to) {
    float u0 = user[k];
    float u1 = user[k + 1];
    float u2 = user[k + 2];
    float u3 = user[k + 3];
    float u4 = user[k + 4];
    float u5 = user[k + 5];
    float u6 = user[k + 6];
    float u7 = user[k + 7];
    float[] a = columns[k];
    float[] b = columns[k + 1];
    float[] c = columns[k + 2];
    float[] d = columns[k + 3];
    float[] e = columns[k + 4];
    float[] f = columns[k + 5];
    float[] g = columns[k + 6];
    float[] h = columns[k + 7];
    for (int i = from; i < to; i++) {
      out[i] += (u0 * a[i] + u1 * b[i] + u2 * c[i] + u3 * d[i]) + (u4 * e[i] + u5 * f[i] + u6 * g[i] + u7 * h[i]);
    }
  }

  /** {@code out[i] += u0 a[i] + u1 b[i] + u2 c[i] + u3 d[i]}: four dimensions in one vectorised pass. */
  private static void axpy4(float u0, float[] a, float u1, float[] b, float u2, float[] c, float u3, float[] d, float[] out,
      int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] += u0 * a[i] + u1 * b[i] + u2 * c[i] + u3 * d[i];
    }
  }

  /** The bias of movie {@code m}. */
  public float bias(int m) {
    return blocks[m / BLOCK][dim][m % BLOCK];
  }

  /** Copies the embedding of movie {@code m} into {@code out[0, dim())}. */
  public void copyRow(int m, float[] out) {
    float[][] columns = blocks[m / BLOCK];
    int i = m % BLOCK;
    for (int k = 0; k < dim; k++) {
      out[k] = columns[k][i];
    }
  }

  /**
   * The score of one movie, {@code bias + <user, movie>}, summed in dimension order as {@link
   * #score(float[], float[])} sums it (to the last bit, for rescoring candidates found elsewhere).
   */
  public float score(float[] user, int m) {
    float[][] columns = blocks[m / BLOCK];
    int i = m % BLOCK;
    float s = columns[dim][i];
    int k = 0;
    for (; k + 8 <= dim; k += 8) {
      s += (user[k] * columns[k][i] + user[k + 1] * columns[k + 1][i] + user[k + 2] * columns[k + 2][i] + user[k + 3] * columns[k + 3][i])
          + (user[k + 4] * columns[k + 4][i] + user[k + 5] * columns[k + 5][i] + user[k + 6] * columns[k + 6][i]
              + user[k + 7] * columns[k + 7][i]);
    }
    for (; k + 4 <= dim; k += 4) {
      s += user[k] * columns[k][i] + user[k + 1] * columns[k + 1][i] + user[k + 2] * columns[k + 2][i] + user[k + 3] * columns[k + 3][i];
    }
    for (; k < dim; k++) {
      s += user[k] * columns[k][i];
    }
    return s;
  }

  /**
   * A new row-major copy of the movie embeddings ({@code items() * dim()} floats), for a consumer
   * that wants that layout once (a device upload, a tool); this scorer keeps only its own.
   */
  public float[] rowMajor() {
    float[] rows = new float[Math.multiplyExact(items, dim)];
    for (int b = 0; b < blocks.length; b++) {
      float[][] columns = blocks[b];
      int first = b * BLOCK;
      for (int i = 0; i < columns[dim].length; i++) {
        for (int k = 0; k < dim; k++) {
          rows[(first + i) * dim + k] = columns[k][i];
        }
      }
    }
    return rows;
  }

  /** A new array of every movie's bias. */
  public float[] biases() {
    float[] out = new float[items];
    for (int b = 0; b < blocks.length; b++) {
      System.arraycopy(blocks[b][dim], 0, out, b * BLOCK, blocks[b][dim].length);
    }
    return out;
  }

  /** Bytes of the movie matrix a full scoring pass reads. */
  public long bytesPerPass() {
    return 4L * items * (dim + 1);
  }
}
