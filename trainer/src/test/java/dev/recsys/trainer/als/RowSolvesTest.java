package dev.recsys.trainer.als;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recsys.models.scoring.LinearSolver;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Row solves on either kernel reach the exact solution of each row's regularised normal equations
 * (conjugate gradient with a few times as many steps as the width: exact in exact arithmetic after
 * as many steps as the width, a little more in floats): the plain-Java
 * fallback that a JVM without the Vector API runs is checked end to end, not only its loops.
 */
class RowSolvesTest {

  @Test
  void bothKernels_solveEveryRowsNormalEquations() {
    int n = 30;
    int m = 40;
    SplittableRandom random = new SplittableRandom(9);
    for (int w : new int[] {8, 19}) {
      float[] y = new float[m * w];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) random.nextGaussian();
      }
      double[] gram = new double[w * w];
      for (int a = 0; a < w; a++) {
        gram[a * w + a] = 0.5;
      }
      int[] start = new int[n + 1];
      int[] columns = new int[n * 12];
      double[] targets = new double[n * 12];
      for (int r = 0; r < n; r++) {
        start[r + 1] = start[r] + 12;
        for (int k = start[r]; k < start[r + 1]; k++) {
          columns[k] = random.nextInt(m);
          targets[k] = 1 + random.nextDouble();
        }
      }
      RowSolves.Observations obs = RowSolves.observations(r -> start[r], r -> start[r + 1], k -> columns[k], k -> targets[k]);
      RowSolves.Penalty penalty = (row, count, out) -> Arrays.fill(out, 0.1 * count);
      for (java.util.function.Supplier<RowKernels> kernels : java.util.List.<java.util.function.Supplier<RowKernels>>of(
          ScalarRowKernels::new, VectorRowKernels::new)) {
        float[] x = new float[n * w];
        RowSolves.solve(x, n, y, w, gram, obs, penalty, 4 * w, kernels);
        for (int r = 0; r < n; r++) {
          // (G + Σ y_k y_kᵀ + 0.1·count·I) x = Σ t_k y_k, solved directly in double.
          double[] a = gram.clone();
          double[] b = new double[w];
          for (int i = 0; i < w; i++) {
            a[i * w + i] += 0.1 * 12;
          }
          for (int k = start[r]; k < start[r + 1]; k++) {
            for (int i = 0; i < w; i++) {
              b[i] += targets[k] * y[columns[k] * w + i];
              for (int j = 0; j < w; j++) {
                a[i * w + j] += (double) y[columns[k] * w + i] * y[columns[k] * w + j];
              }
            }
          }
          double[] exact = LinearSolver.solveSpd(a, b, w);
          for (int i = 0; i < w; i++) {
            assertEquals(exact[i], x[r * w + i], 1e-3 * (1 + Math.abs(exact[i])),
                kernels.get().getClass().getSimpleName() + ", width " + w + ", row " + r + ", entry " + i);
          }
        }
      }
    }
  }
}
