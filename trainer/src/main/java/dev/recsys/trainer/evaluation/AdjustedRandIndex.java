package dev.recsys.trainer.evaluation;

import java.util.Arrays;

/**
 * Adjusted Rand index (Hubert &amp; Arabie, 1985) of two labelings of the same items: 1 for the same
 * partition (whatever the label values), about 0 for independent labelings, negative when the two
 * agree less than chance. Used to check that clustering recovers planted segments.
 */
public final class AdjustedRandIndex {

  private AdjustedRandIndex() {}

  /**
   * The ARI of {@code a} and {@code b}, where {@code a[i]} and {@code b[i]} label item {@code i}.
   * Labels are arbitrary non-negative ints (they need not be dense). When both labelings are the
   * same trivial partition (all items in one cluster, or all singletons, or fewer than two items)
   * the index is undefined (0/0) and 1 is returned, as the partitions agree.
   *
   * @throws IllegalArgumentException when the lengths differ or a label is negative
   */
  public static double of(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("labelings differ in length: " + a.length + " and " + b.length);
    }
    int n = a.length;
    int[] da = dense(a, "first");
    int[] db = dense(b, "second");
    int kb = Arrays.stream(db).max().orElse(-1) + 1;
    // Contingency table as sorted pair keys: O(n log n) with no table of size ka x kb, which could
    // be n^2 when both labelings have many clusters.
    long[] pairs = new long[n];
    for (int i = 0; i < n; i++) {
      pairs[i] = (long) da[i] * kb + db[i];
    }
    Arrays.sort(pairs);
    double sumCells = 0;
    for (int i = 0, j; i < n; i = j) {
      for (j = i; j < n && pairs[j] == pairs[i]; j++) {}
      sumCells += pairsOf(j - i);
    }
    double sumA = sumOfPairs(da);
    double sumB = sumOfPairs(db);
    double total = pairsOf(n);
    double expected = total == 0 ? 0 : sumA * sumB / total;
    double max = (sumA + sumB) / 2;
    if (max - expected == 0) {
      return 1.0;
    }
    return (sumCells - expected) / (max - expected);
  }

  /** {@code x choose 2}. */
  private static double pairsOf(long x) {
    return x * (x - 1) / 2.0;
  }

  /** Sum over clusters of (size choose 2). */
  private static double sumOfPairs(int[] dense) {
    long[] sizes = new long[Arrays.stream(dense).max().orElse(-1) + 1];
    for (int label : dense) {
      sizes[label]++;
    }
    double sum = 0;
    for (long s : sizes) {
      sum += pairsOf(s);
    }
    return sum;
  }

  /** Labels renumbered 0..k-1 in order of value. */
  private static int[] dense(int[] labels, String which) {
    int[] sorted = labels.clone();
    Arrays.sort(sorted);
    if (sorted.length > 0 && sorted[0] < 0) {
      throw new IllegalArgumentException("the " + which + " labeling has a negative label: " + sorted[0]);
    }
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[k++] = sorted[i];
      }
    }
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = Arrays.binarySearch(sorted, 0, k, labels[i]);
    }
    return out;
  }
}
