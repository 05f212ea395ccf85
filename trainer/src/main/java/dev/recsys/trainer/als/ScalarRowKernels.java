package dev.recsys.trainer.als;

/** {@link RowKernels} in plain Java: four partial sums per dot product, so the additions overlap. */
final class ScalarRowKernels extends RowKernels {

  @Override
  void combine(float[] y, int[] columns, float[] targets, int count, float[] p, float[] out, int w) {
    for (int k = 0; k < count; k++) {
      int yb = columns[k] * w;
      float dot = dot(y, yb, p, w);
      float c = targets == null ? dot : targets[k] - dot;
      for (int a = 0; a < w; a++) {
        out[a] += c * y[yb + a];
      }
    }
  }

  @Override
  float dot(float[] x, int base, float[] p, int w) {
    float d0 = 0;
    float d1 = 0;
    float d2 = 0;
    float d3 = 0;
    int a = 0;
    for (; a + 3 < w; a += 4) {
      d0 += x[base + a] * p[a];
      d1 += x[base + a + 1] * p[a + 1];
      d2 += x[base + a + 2] * p[a + 2];
      d3 += x[base + a + 3] * p[a + 3];
    }
    for (; a < w; a++) {
      d0 += x[base + a] * p[a];
    }
    return (d0 + d1) + (d2 + d3);
  }
}
