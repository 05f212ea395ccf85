package dev.recsys.models.segments;

/**
 * {@code k} centroids of dimension {@code dim}, row-major. Assignment is by squared Euclidean
 * distance; ties go to the lower index. Immutable.
 */
public record Centroids(int k, int dim, float[] values) {

  public Centroids {
    if (k < 1 || dim < 1 || values.length != k * dim) {
      throw new IllegalArgumentException("centroids need k * dim values: k " + k + ", dim " + dim + ", values " + values.length);
    }
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("centroids hold a non-finite value");
      }
    }
  }

  /** Index of the nearest centroid to {@code x[offset .. offset+dim)}. */
  public int nearest(float[] x, int offset) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double d = squaredDistance(x, offset, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  /** Euclidean distance to every centroid. */
  public double[] distances(float[] x, int offset) {
    double[] d = new double[k];
    for (int c = 0; c < k; c++) {
      d[c] = Math.sqrt(squaredDistance(x, offset, c));
    }
    return d;
  }

  private double squaredDistance(float[] x, int offset, int c) {
    double s = 0;
    int base = c * dim;
    for (int j = 0; j < dim; j++) {
      double diff = x[offset + j] - values[base + j];
      s += diff * diff;
    }
    return s;
  }

  /** Assigns every row of a row-major matrix. */
  public int[] assignAll(float[] rows, int count) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = nearest(rows, i * dim);
    }
    return labels;
  }
}
