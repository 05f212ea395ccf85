package dev.recsys.models.neighbors;

import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;

/**
 * For each movie, up to {@code k} neighbours, most similar first, in CSR form: movie {@code i}'s
 * neighbours are {@code neighbors[offsets[i] .. offsets[i+1])} with {@code similarities} alongside.
 * Immutable.
 */
public final class ItemNeighbors {

  private final int[] offsets;
  private final int[] neighbors;
  private final float[] similarities;

  public ItemNeighbors(int[] offsets, int[] neighbors, float[] similarities) {
    if (offsets.length == 0 || offsets[0] != 0 || neighbors.length != similarities.length || offsets[offsets.length - 1] != neighbors.length) {
      throw new IllegalArgumentException("inconsistent neighbour arrays (offsets must run from 0 to the neighbour count " + neighbors.length + ")");
    }
    int items = offsets.length - 1;
    for (int i = 0; i < items; i++) {
      if (offsets[i] > offsets[i + 1]) {
        throw new IllegalArgumentException("neighbour offsets decrease at movie " + i);
      }
      for (int k = offsets[i]; k < offsets[i + 1]; k++) {
        if (neighbors[k] < 0 || neighbors[k] >= items || !Float.isFinite(similarities[k])) {
          throw new IllegalArgumentException("bad neighbour entry " + k + " of movie " + i);
        }
      }
    }
    this.offsets = offsets;
    this.neighbors = neighbors;
    this.similarities = similarities;
  }

  public int items() {
    return offsets.length - 1;
  }

  public int start(int item) {
    return offsets[item];
  }

  public int end(int item) {
    return offsets[item + 1];
  }

  public int neighbor(int k) {
    return neighbors[k];
  }

  public float similarity(int k) {
    return similarities[k];
  }

  /** A copy keeping at most {@code k} neighbours per movie. */
  public ItemNeighbors truncate(int k) {
    int items = items();
    int[] o = new int[items + 1];
    for (int i = 0; i < items; i++) {
      o[i + 1] = o[i] + Math.min(k, end(i) - start(i));
    }
    int[] n = new int[o[items]];
    float[] s = new float[o[items]];
    for (int i = 0; i < items; i++) {
      System.arraycopy(neighbors, start(i), n, o[i], o[i + 1] - o[i]);
      System.arraycopy(similarities, start(i), s, o[i], o[i + 1] - o[i]);
    }
    return new ItemNeighbors(o, n, s);
  }

  public void writeTo(TensorFile.Writer writer, String prefix) {
    writer.ints(prefix + "offsets", offsets).ints(prefix + "neighbors", neighbors).floats(prefix + "similarities", similarities);
  }

  public static ItemNeighbors readFrom(TensorFile file, String prefix, int items) throws IOException {
    int[] o = file.get(prefix + "offsets").requireShape(items + 1).ints();
    int[] n = file.get(prefix + "neighbors").ints();
    float[] s = file.get(prefix + "similarities").requireShape(n.length).finiteFloats();
    try {
      return new ItemNeighbors(o, n, s);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException(prefix + "neighbors: " + e.getMessage(), e);
    }
  }
}
