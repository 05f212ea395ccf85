package dev.recsys.trainer.topn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.RatingsTable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Implicit ALS against a direct solve of its normal equations. */
class ImplicitAlsTest {

  static RatingsTable random(int users, int items, int perUser, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    java.util.List<int[]> pairs = new java.util.ArrayList<>();
    for (int u = 0; u < users; u++) {
      java.util.Set<Integer> taken = new java.util.TreeSet<>();
      while (taken.size() < perUser) {
        taken.add(r.nextInt(items));
      }
      for (int i : taken) {
        pairs.add(new int[] {u, i});
      }
    }
    int n = pairs.size();
    int[] us = new int[n];
    int[] is = new int[n];
    for (int k = 0; k < n; k++) {
      us[k] = pairs.get(k)[0];
      is[k] = pairs.get(k)[1];
    }
    return RatingsTable.of(users, items, us, is, new float[n], new int[n]);
  }

  /**
   * With as many CG steps as dimensions the item half-iteration is an exact solve, so every final
   * item row satisfies (α₀ WᵀW + Σ_u w_u w_uᵀ + λ_i I) h_i = Σ_u w_u against the final user factors;
   * the reference solves that 3 x 3 system directly by Gaussian elimination.
   */
  @Test
  void fit_exactSolves_itemRowsSolveTheirNormalEquations() {
    RatingsTable t = random(30, 12, 4, 7);
    ImplicitAls.Config c = new ImplicitAls.Config(3, 0.2, 0.05, 1.0, 3, 1, 3, 0.1, 11);
    EmbeddingTables m = ImplicitAls.fit(t, c, null, Progress.silent("als")).model();
    int d = 3;
    float[] w = m.userEmbeddings();
    float[] h = m.itemEmbeddings();
    for (int i = 0; i < t.numMovies(); i++) {
      double[][] a = new double[d][d + 1];
      int raters = 0;
      for (int u = 0; u < t.numUsers(); u++) {
        boolean rated = false;
        for (int r = t.userStart(u); r < t.userEnd(u); r++) {
          rated |= t.movie(r) == i;
        }
        raters += rated ? 1 : 0;
        for (int x = 0; x < d; x++) {
          for (int y = 0; y < d; y++) {
            a[x][y] += (c.unobservedWeight() + (rated ? 1 : 0)) * w[u * d + x] * w[u * d + y];
          }
          a[x][d] += rated ? w[u * d + x] : 0;
        }
      }
      double penalty = c.l2() * (raters + c.unobservedWeight() * t.numUsers());
      for (int x = 0; x < d; x++) {
        a[x][x] += penalty;
      }
      double[] expected = gauss(a, d);
      for (int x = 0; x < d; x++) {
        assertEquals(expected[x], h[i * d + x], 1e-4, "item " + i + " factor " + x);
      }
    }
    assertArrayEquals(new float[t.numMovies()], m.itemBiases());
  }

  @Test
  void fit_sameSeed_sameFactors_andValidationStopsEarly() {
    RatingsTable t = random(40, 20, 5, 3);
    ImplicitAls.Config c = new ImplicitAls.Config(4, 0.1, 0.01, 1.0, 10, 2, 4, 0.1, 5);
    EmbeddingTables a = ImplicitAls.fit(t, c, null, Progress.silent("als")).model();
    EmbeddingTables b = ImplicitAls.fit(t, c, null, Progress.silent("als")).model();
    assertArrayEquals(a.userEmbeddings(), b.userEmbeddings());
    // A metric that only gets worse after the first iteration: stop after patience, keep iteration 1.
    int[] calls = {0};
    ImplicitAls.Result r = ImplicitAls.fit(t, c, m -> calls[0]++, Progress.silent("als"));
    assertEquals(1, r.bestIteration());
    assertEquals(3, r.curve().size());
  }

  @Test
  void config_badValues_areRefusedWithTheValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImplicitAls.Config(0, 0.1, 0.01, 1, 5, 2, 3, 0.1, 1));
    assertTrue(e.getMessage().contains("0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ImplicitAls.Config(8, -0.5, 0.01, 1, 5, 2, 3, 0.1, 1));
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
  }

  private static double[] gauss(double[][] a, int n) {
    for (int p = 0; p < n; p++) {
      int max = p;
      for (int r = p + 1; r < n; r++) {
        if (Math.abs(a[r][p]) > Math.abs(a[max][p])) {
          max = r;
        }
      }
      double[] tmp = a[p];
      a[p] = a[max];
      a[max] = tmp;
      for (int r = p + 1; r < n; r++) {
        double f = a[r][p] / a[p][p];
        for (int c = p; c <= n; c++) {
          a[r][c] -= f * a[p][c];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = a[r][n];
      for (int c = r + 1; c < n; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }
}
