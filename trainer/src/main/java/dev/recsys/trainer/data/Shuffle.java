package dev.recsys.trainer.data;

import java.util.SplittableRandom;

/**
 * Seeded Fisher-Yates shuffles, one implementation for every split, sample and generator, so the
 * same seed draws the same numbers in the same order everywhere.
 */
public final class Shuffle {

  private Shuffle() {}

  /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates from the end). */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      swap(perm, i, random.nextInt(i + 1));
    }
    return perm;
  }

  /**
   * Moves a uniformly random sample of {@code take} of the first {@code size} entries of {@code a}
   * to its front (a Fisher-Yates shuffle stopped after {@code take} steps).
   */
  public static void sampleToFront(int[] a, int size, int take, SplittableRandom random) {
    for (int i = 0; i < take; i++) {
      swap(a, i, i + random.nextInt(size - i));
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
