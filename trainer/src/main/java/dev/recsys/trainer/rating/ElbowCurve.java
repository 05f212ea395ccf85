package dev.recsys.trainer.rating;

/**
 * K-Means inertia (within-cluster sum of squares) against the number of clusters, and the knee: the
 * point farthest below the straight line from the first to the last point of the normalised curve.
 *
 * @param ks the numbers of clusters tried
 * @param inertia inertia at each
 * @param knee the chosen number of clusters
 */
public record ElbowCurve(int[] ks, double[] inertia, int knee) {

  /** Computes the knee of a decreasing curve. */
  public static ElbowCurve of(int[] ks, double[] inertia) {
    int n = ks.length;
    if (n < 3) {
      return new ElbowCurve(ks, inertia, ks[n - 1]);
    }
    double x0 = ks[0];
    double x1 = ks[n - 1];
    double y0 = inertia[0];
    double y1 = inertia[n - 1];
    int best = 0;
    double bestGap = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double x = (ks[i] - x0) / (x1 - x0);
      double y = y0 == y1 ? 0 : (inertia[i] - y1) / (y0 - y1);
      // On normalised axes the chord is y = 1 - x; the knee lies farthest below it (ties, as on a
      // straight line with no bend at all, go to the smallest k).
      double gap = (1 - x) - y;
      if (gap > bestGap + 1e-9) {
        bestGap = gap;
        best = i;
      }
    }
    return new ElbowCurve(ks, inertia, ks[best]);
  }
}
