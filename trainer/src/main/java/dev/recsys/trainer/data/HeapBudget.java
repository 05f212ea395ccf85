package dev.recsys.trainer.data;

import java.util.Locale;

/**
 * Whether training a data set fits the JVM's heap, decided right after loading: a set that would
 * not fit is refused with the heap it needs, instead of an out-of-memory error an hour into training.
 *
 * <p>The estimate counts what training holds at its peak: about eight copies of the rating arrays
 * in various forms (the table, its fit/validation split, per-user lists, the per-movie transpose, the
 * neighbour pass's buffers) at 16 bytes a rating each, and for every user and movie about 24 float
 * vectors of the embedding dimension (parameters, gradients, Adam moments, best-epoch snapshots of
 * the factorisation, the implicit factors and their copies). The constants were checked against the
 * peak heap of the scale benchmark's runs (docs/scale.md) and err on the generous side.
 */
public final class HeapBudget {

  /** Bytes held per rating at training's peak. */
  static final long BYTES_PER_RATING = 8 * 16;
  /** Float vectors held per user and per movie at training's peak. */
  static final long VECTORS_PER_ROW = 24;
  /** The JVM, libraries and fixed-size buffers. */
  static final long FIXED_BYTES = 256L << 20;

  private HeapBudget() {}

  /** Estimated peak heap of training on {@code ratings} ratings of {@code users} users and {@code movies} movies. */
  public static long estimate(long ratings, long users, long movies, int dim) {
    return FIXED_BYTES + ratings * BYTES_PER_RATING + (users + movies) * VECTORS_PER_ROW * dim * Float.BYTES;
  }

  /**
   * Refuses a data set whose estimated peak exceeds {@code maxHeap}.
   *
   * @throws IllegalStateException naming the need, the heap and the option to change
   */
  public static void require(long ratings, long users, long movies, int dim, long maxHeap) {
    long need = estimate(ratings, users, movies, dim);
    if (need > maxHeap) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "training %,d ratings of %,d users and %,d movies (dimension %d) needs about %.1f GiB of heap, and this JVM has %.1f GiB: "
              + "run java with -Xmx%dg or more (or train on a sample, or on the trainer-spark module)",
          ratings, users, movies, dim, need / GIB, maxHeap / GIB, (long) Math.ceil(need / GIB)));
    }
  }

  private static final double GIB = 1L << 30;
}
