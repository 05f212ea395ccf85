package dev.recsys.trainer.data;

import java.util.Arrays;

/**
 * Maps sparse positive ids to dense indexes {@code 0..n-1} in ascending id order: a direct lookup
 * table when the largest id is small (MovieLens ids are below a million), binary search otherwise.
 */
final class DenseIndex {

  private static final long MAX_DIRECT_ID = 16_000_000;

  private final long[] ids;
  private final int[] direct;

  private DenseIndex(long[] sortedUniqueIds) {
    this.ids = sortedUniqueIds;
    long max = ids.length == 0 ? 0 : ids[ids.length - 1];
    if (ids.length > 0 && ids[0] >= 0 && max <= MAX_DIRECT_ID) {
      direct = new int[(int) max + 1];
      Arrays.fill(direct, -1);
      for (int i = 0; i < ids.length; i++) {
        direct[(int) ids[i]] = i;
      }
    } else {
      direct = null;
    }
  }

  /** An index over ids that are sorted ascending and unique. */
  static DenseIndex ofSorted(long[] sortedUniqueIds) {
    return new DenseIndex(sortedUniqueIds);
  }

  /** Dense index of {@code id}, or -1. */
  int indexOf(long id) {
    if (direct != null) {
      return id >= 0 && id < direct.length ? direct[(int) id] : -1;
    }
    int i = Arrays.binarySearch(ids, id);
    return i >= 0 ? i : -1;
  }

  int size() {
    return ids.length;
  }
}
