package dev.recsys.models.profiles;

/**
 * A user's taste per genre: how much more (or less) than their own mean they rate movies of each
 * genre, shrunk towards 0 for genres they rated little. {@code affinity[g] = sum(r - userMean) /
 * (count_g + SHRINK)} over the user's ratings of movies of genre {@code g}.
 */
public final class GenreAffinity {

  /** Pseudo-count pulling sparse genres towards no preference. */
  public static final float SHRINK = 5f;

  private GenreAffinity() {}

  /**
   * @param movies rated movie indexes
   * @param ratings their ratings
   * @param count how many of the arrays' entries to use
   * @param genreMasks genre bit mask of every catalogue movie
   * @param genres size of the genre vocabulary
   * @param out receives {@code genres} affinities
   */
  public static void compute(int[] movies, float[] ratings, int from, int count, long[] genreMasks, int genres, float[] out) {
    double mean = 0;
    for (int k = 0; k < count; k++) {
      mean += ratings[from + k];
    }
    mean = count == 0 ? 0 : mean / count;
    double[] sum = new double[genres];
    int[] n = new int[genres];
    for (int k = 0; k < count; k++) {
      long mask = genreMasks[movies[from + k]];
      double residual = ratings[from + k] - mean;
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        if (g < genres) {
          sum[g] += residual;
          n[g]++;
        }
      }
    }
    for (int g = 0; g < genres; g++) {
      out[g] = (float) (sum[g] / (n[g] + SHRINK));
    }
  }

  /** Mean and maximum of the affinities over a movie's genres (0 for a movie without genres). */
  public static float[] summarise(float[] affinity, int offset, long mask) {
    float sum = 0;
    float max = Float.NEGATIVE_INFINITY;
    int n = 0;
    while (mask != 0) {
      int g = Long.numberOfTrailingZeros(mask);
      mask &= mask - 1;
      float a = affinity[offset + g];
      sum += a;
      max = Math.max(max, a);
      n++;
    }
    return n == 0 ? new float[] {0, 0} : new float[] {sum / n, max};
  }
}
