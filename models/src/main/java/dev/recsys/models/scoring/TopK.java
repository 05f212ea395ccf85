package dev.recsys.models.scoring;

/**
 * Partial top-k selection over a score array: a bounded min-heap of the best {@code k} candidates,
 * O(n log k) instead of a full sort. Ties go to the lower index so results are deterministic.
 * Not thread-safe; cheap to create per request.
 */
public final class TopK {

  /** Decides whether an index may be returned. */
  @FunctionalInterface
  public interface Filter {
    boolean accept(int index);

    Filter ALL = i -> true;
  }

  private TopK() {}

  /**
   * The indexes of the {@code k} highest finite scores that pass {@code filter}, best first.
   *
   * @param scores one score per index
   * @param count how many leading entries of {@code scores} to consider
   */
  public static int[] select(float[] scores, int count, int k, Filter filter) {
    if (k <= 0) {
      return new int[0];
    }
    int[] heap = new int[k];
    int size = 0;
    // Once the heap is full, the score of its worst entry: anything not above it is skipped with
    // one comparison and no indirection, which is what almost every index of a large catalogue
    // gets. (Equal scores never displace: indexes rise, and ties go to the lower index.)
    float threshold = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      float s = scores[i];
      if (!(s > threshold) || !filter.accept(i)) {
        continue;
      }
      if (size < k) {
        heap[size] = i;
        siftUp(scores, heap, size++);
        if (size == k) {
          threshold = scores[heap[0]];
        }
      } else {
        heap[0] = i;
        siftDown(scores, heap, size);
        threshold = scores[heap[0]];
      }
    }
    // Heap order to best-first order: take the worst out, one at a time, from the back.
    int[] out = new int[size];
    for (int n = size; n > 0; n--) {
      out[n - 1] = heap[0];
      heap[0] = heap[n - 1];
      siftDown(scores, heap, n - 1);
    }
    return out;
  }

  /** True when index {@code a} ranks above index {@code b}. */
  static boolean better(float[] scores, int a, int b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  }

  // A min-heap on rank: the root is the worst of the kept candidates.
  private static void siftUp(float[] scores, int[] heap, int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!better(scores, heap[parent], heap[i])) {
        break;
      }
      swap(heap, i, parent);
      i = parent;
    }
  }

  private static void siftDown(float[] scores, int[] heap, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int worst = i;
      if (l < size && better(scores, heap[worst], heap[l])) {
        worst = l;
      }
      if (r < size && better(scores, heap[worst], heap[r])) {
        worst = r;
      }
      if (worst == i) {
        return;
      }
      swap(heap, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
