package dev.recsys.trainer.als;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernels} on the JDK's Vector API: multiplies and adds over the widest vectors the CPU
 * has (8 floats with AVX2). 4.7x faster than {@link ScalarRowKernels} on an ml-1m-shaped
 * half-iteration ({@code AlsRowSolveBenchmark}, docs/benchmarks.md). Not {@code fma}: it was no
 * faster here (100 against 106 ms, inside the error), and a CPU without FMA units (some virtual
 * machines) would run it lane by lane in software; separate operations also round as the plain
 * loops do. Instantiated only when the JVM has the module ({@link RowKernels#create()}). Holds
 * scratch space: one instance per thread.
 */
final class VectorRowKernels extends RowKernels {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Lanes of a vector, stored to be summed in order (see {@link #total}). */
  private final float[] lanes = new float[SPECIES.length()];

  /**
   * The sum of the lanes in a fixed order. {@code reduceLanes(ADD)} leaves the order of float additions
   * unspecified, and it differs between the interpreter and compiled code, which made two fits of
   * the same data differ in the last digits; a store and fixed additions give the same result on
   * every run (on one machine: another vector width is another order).
   */
  private float total(FloatVector v) {
    v.intoArray(lanes, 0);
    float[] l = lanes;
    if (l.length == 8) {
      // A balanced tree: three dependent additions instead of seven.
      return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
    }
    float s = 0;
    for (float value : l) {
      s += value;
    }
    return s;
  }

  /**
   * Four observations at a time: their dot products run side by side, and {@code out} is
   * loaded and stored once per four instead of once per observation, which breaks the chain of
   * dependent loads and stores through {@code out} that bounded the one-at-a-time loop. The float
   * operations and their order are those of one observation at a time, so results are identical.
   */
  @Override
  void combine(float[] y, int[] columns, float[] targets, int count, float[] p, float[] out, int w) {
    int bound = SPECIES.loopBound(w);
    int step = SPECIES.length();
    int k = 0;
    for (; k + 3 < count; k += 4) {
      int b0 = columns[k] * w;
      int b1 = columns[k + 1] * w;
      int b2 = columns[k + 2] * w;
      int b3 = columns[k + 3] * w;
      FloatVector s0 = FloatVector.zero(SPECIES);
      FloatVector s1 = FloatVector.zero(SPECIES);
      FloatVector s2 = FloatVector.zero(SPECIES);
      FloatVector s3 = FloatVector.zero(SPECIES);
      int a = 0;
      for (; a < bound; a += step) {
        FloatVector pv = FloatVector.fromArray(SPECIES, p, a);
        s0 = FloatVector.fromArray(SPECIES, y, b0 + a).mul(pv).add(s0);
        s1 = FloatVector.fromArray(SPECIES, y, b1 + a).mul(pv).add(s1);
        s2 = FloatVector.fromArray(SPECIES, y, b2 + a).mul(pv).add(s2);
        s3 = FloatVector.fromArray(SPECIES, y, b3 + a).mul(pv).add(s3);
      }
      float d0 = total(s0);
      float d1 = total(s1);
      float d2 = total(s2);
      float d3 = total(s3);
      for (int t = a; t < w; t++) {
        d0 += y[b0 + t] * p[t];
        d1 += y[b1 + t] * p[t];
        d2 += y[b2 + t] * p[t];
        d3 += y[b3 + t] * p[t];
      }
      float c0 = targets == null ? d0 : targets[k] - d0;
      float c1 = targets == null ? d1 : targets[k + 1] - d1;
      float c2 = targets == null ? d2 : targets[k + 2] - d2;
      float c3 = targets == null ? d3 : targets[k + 3] - d3;
      FloatVector v0 = FloatVector.broadcast(SPECIES, c0);
      FloatVector v1 = FloatVector.broadcast(SPECIES, c1);
      FloatVector v2 = FloatVector.broadcast(SPECIES, c2);
      FloatVector v3 = FloatVector.broadcast(SPECIES, c3);
      a = 0;
      for (; a < bound; a += step) {
        FloatVector o = FloatVector.fromArray(SPECIES, y, b0 + a).mul(v0).add(FloatVector.fromArray(SPECIES, out, a));
        o = FloatVector.fromArray(SPECIES, y, b1 + a).mul(v1).add(o);
        o = FloatVector.fromArray(SPECIES, y, b2 + a).mul(v2).add(o);
        FloatVector.fromArray(SPECIES, y, b3 + a).mul(v3).add(o).intoArray(out, a);
      }
      for (; a < w; a++) {
        out[a] += c0 * y[b0 + a];
        out[a] += c1 * y[b1 + a];
        out[a] += c2 * y[b2 + a];
        out[a] += c3 * y[b3 + a];
      }
    }
    for (; k < count; k++) {
      int yb = columns[k] * w;
      float dot = dot(y, yb, p, w);
      float c = targets == null ? dot : targets[k] - dot;
      FloatVector scale = FloatVector.broadcast(SPECIES, c);
      int a = 0;
      for (; a < bound; a += step) {
        FloatVector.fromArray(SPECIES, y, yb + a).mul(scale).add(FloatVector.fromArray(SPECIES, out, a)).intoArray(out, a);
      }
      for (; a < w; a++) {
        out[a] += c * y[yb + a];
      }
    }
  }

  @Override
  float dot(float[] x, int base, float[] p, int w) {
    int bound = SPECIES.loopBound(w);
    FloatVector sum = FloatVector.zero(SPECIES);
    int a = 0;
    for (; a < bound; a += SPECIES.length()) {
      sum = FloatVector.fromArray(SPECIES, x, base + a).mul(FloatVector.fromArray(SPECIES, p, a)).add(sum);
    }
    float dot = total(sum);
    for (; a < w; a++) {
      dot += x[base + a] * p[a];
    }
    return dot;
  }
}
