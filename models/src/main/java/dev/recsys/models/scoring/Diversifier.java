package dev.recsys.models.scoring;

/**
 * Maximal marginal relevance over genres: re-ranks candidates so that each next pick balances its
 * relevance against its genre similarity (Jaccard of genre sets) to what was already picked.
 * {@code diversity} 0 keeps the relevance order; 1 maximises genre variety.
 */
public final class Diversifier {

  private Diversifier() {}

  /**
   * @param candidates movie indexes, best first
   * @param relevance their scores, same order
   * @param genreMasks genre mask of every movie, by movie index
   * @param k how many to pick
   * @param diversity weight of variety, in [0, 1]
   */
  public static int[] rerank(int[] candidates, float[] relevance, long[] genreMasks, int k, double diversity) {
    int n = candidates.length;
    int pick = Math.min(k, n);
    if (diversity <= 0 || n == 0) {
      return java.util.Arrays.copyOf(candidates, pick);
    }
    float max = Float.NEGATIVE_INFINITY;
    float min = Float.POSITIVE_INFINITY;
    for (float r : relevance) {
      max = Math.max(max, r);
      min = Math.min(min, r);
    }
    double range = max > min ? max - min : 1;
    boolean[] used = new boolean[n];
    double[] maxSimilarity = new double[n];
    int[] out = new int[pick];
    for (int p = 0; p < pick; p++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < n; c++) {
        if (used[c]) {
          continue;
        }
        double score = (1 - diversity) * (relevance[c] - min) / range - diversity * maxSimilarity[c];
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      }
      used[best] = true;
      out[p] = candidates[best];
      long chosen = genreMasks[candidates[best]];
      for (int c = 0; c < n; c++) {
        if (!used[c]) {
          maxSimilarity[c] = Math.max(maxSimilarity[c], jaccard(chosen, genreMasks[candidates[c]]));
        }
      }
    }
    return out;
  }

  /** Jaccard similarity of two genre masks (1 for two movies without genres). */
  public static double jaccard(long a, long b) {
    long union = a | b;
    return union == 0 ? 1 : (double) Long.bitCount(a & b) / Long.bitCount(union);
  }
}
