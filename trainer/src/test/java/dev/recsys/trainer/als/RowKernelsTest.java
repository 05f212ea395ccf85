package dev.recsys.trainer.als;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vectorised and plain-Java kernels compute the same products (up to the order of float
 * additions), at the factor widths used and at widths that leave a remainder after the last full
 * vector; and the test JVM, like the documented launch commands, gets the vectorised ones.
 */
class RowKernelsTest {

  private static float[] gaussian(int n, SplittableRandom random) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }

  @Test
  void vectorAndScalarKernels_agree_atEveryWidth() {
    RowKernels scalar = new ScalarRowKernels();
    RowKernels vector = new VectorRowKernels();
    SplittableRandom random = new SplittableRandom(5);
    for (int w : new int[] {1, 3, 7, 8, 13, 32, 64, 67}) {
      float[] m = gaussian(w * w, random);
      float[] p = gaussian(w, random);
      float[] y = gaussian(50 * w, random);
      int[] columns = random.ints(120, 0, 50).toArray();
      float[] a = new float[w];
      float[] b = new float[w];
      scalar.multiply(m, p, a, w);
      vector.multiply(m, p, b, w);
      scalar.accumulate(y, columns, columns.length, p, a, w);
      vector.accumulate(y, columns, columns.length, p, b, w);
      double expected = 0;
      for (int i = 0; i < w; i++) {
        // Exact in double: row i of m times p, plus Σ_k (y_k · p) y_k[i]; the tolerance scales with
        // the sum of the terms' magnitudes (float rounding is relative to what is added up).
        double s = 0;
        double magnitude = 0;
        for (int j = 0; j < w; j++) {
          s += (double) m[i * w + j] * p[j];
          magnitude += Math.abs((double) m[i * w + j] * p[j]);
        }
        for (int c : columns) {
          double dot = 0;
          double dotMagnitude = 0;
          for (int j = 0; j < w; j++) {
            dot += (double) y[c * w + j] * p[j];
            dotMagnitude += Math.abs((double) y[c * w + j] * p[j]);
          }
          s += dot * y[c * w + i];
          magnitude += dotMagnitude * Math.abs(y[c * w + i]);
        }
        double tolerance = 1e-5 * magnitude;
        assertEquals(s, a[i], tolerance, "scalar, width " + w + ", entry " + i);
        assertEquals(s, b[i], tolerance, "vector, width " + w + ", entry " + i);
        expected += Math.abs(s);
      }
      assertTrue(expected > 0, "a non-trivial product at width " + w);
    }
  }

  @Test
  void vectorKernels_fourAtATime_areBitIdenticalToOneAtATime_andTheResidualMatchesItsDefinition() {
    RowKernels scalar = new ScalarRowKernels();
    RowKernels vector = new VectorRowKernels();
    SplittableRandom random = new SplittableRandom(9);
    for (int w : new int[] {3, 8, 13, 64, 67}) {
      float[] p = gaussian(w, random);
      float[] y = gaussian(50 * w, random);
      int[] columns = random.ints(123, 0, 50).toArray(); // not a multiple of four: the tail runs too
      float[] targets = gaussian(columns.length, random);
      float[] together = new float[w];
      float[] oneByOne = new float[w];
      vector.residual(y, columns, targets, columns.length, p, together, w);
      for (int k = 0; k < columns.length; k++) {
        // One observation per call: the one-at-a-time loop.
        vector.residual(y, new int[] {columns[k]}, new float[] {targets[k]}, 1, p, oneByOne, w);
      }
      float[] plain = new float[w];
      scalar.residual(y, columns, targets, columns.length, p, plain, w);
      for (int i = 0; i < w; i++) {
        assertEquals(Float.floatToIntBits(oneByOne[i]), Float.floatToIntBits(together[i]), "width " + w + ", entry " + i + ": the same floats");
        double s = 0;
        double magnitude = 0;
        for (int k = 0; k < columns.length; k++) {
          double dot = 0;
          double dotMagnitude = 0;
          for (int j = 0; j < w; j++) {
            dot += (double) y[columns[k] * w + j] * p[j];
            dotMagnitude += Math.abs((double) y[columns[k] * w + j] * p[j]);
          }
          s += (targets[k] - dot) * y[columns[k] * w + i];
          magnitude += (Math.abs(targets[k]) + dotMagnitude) * Math.abs(y[columns[k] * w + i]);
        }
        assertEquals(s, together[i], 1e-5 * magnitude, "vector residual, width " + w + ", entry " + i);
        assertEquals(s, plain[i], 1e-5 * magnitude, "scalar residual, width " + w + ", entry " + i);
      }
    }
  }

  @Test
  void theTestJvm_runsTheVectorisedKernels() {
    assertTrue(RowSolves.vectorised(), "surefire's argLine adds --add-modules " + RowKernels.VECTOR_MODULE);
  }
}
