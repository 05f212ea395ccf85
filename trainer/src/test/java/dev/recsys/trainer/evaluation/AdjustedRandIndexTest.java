package dev.recsys.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdjustedRandIndexTest {

  @Test
  void identicalLabelingsScoreOne() {
    int[] a = {0, 0, 1, 1, 2, 2, 2};
    assertEquals(1.0, AdjustedRandIndex.of(a, a.clone()), 1e-12);
  }

  @Test
  void renamedLabelsScoreOne() {
    int[] a = {0, 0, 1, 1, 2, 2, 2};
    int[] renamed = {17, 17, 3, 3, 1_000_000, 1_000_000, 1_000_000};
    assertEquals(1.0, AdjustedRandIndex.of(a, renamed), 1e-12);
    assertEquals(1.0, AdjustedRandIndex.of(renamed, a), 1e-12);
  }

  @Test
  void smallExamplesMatchHandComputedValues() {
    // Contingency {a0: b0 x2}, {a1: b1, b2}: sum C(nij,2) = 1; sum C(ai,2) = 2; sum C(bj,2) = 1;
    // C(4,2) = 6; expected = 2*1/6 = 1/3; max = 3/2; ARI = (1 - 1/3) / (3/2 - 1/3) = 4/7.
    assertEquals(4.0 / 7, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-12);
    // All cells 1: index 0; A = B = 2; expected 4/6; max 2; ARI = (0 - 2/3) / (2 - 2/3) = -1/2.
    assertEquals(-0.5, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    // Cells 2,1 / 1,2: index 2; A = 3 + 3 = 6; B = 1 + 1 + 1 = 3; C(6,2) = 15; expected 18/15;
    // max 9/2; ARI = (2 - 6/5) / (9/2 - 6/5) = 8/33.
    double ari = AdjustedRandIndex.of(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2});
    assertEquals(8.0 / 33, ari, 1e-12);
    assertEquals(ari, AdjustedRandIndex.of(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 0, 1, 1, 1}), 1e-12);
  }

  @Test
  void independentLabelingsScoreNearZero() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 50_000;
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextInt(7);
      b[i] = random.nextInt(5);
    }
    assertEquals(0.0, AdjustedRandIndex.of(a, b), 0.005);
  }

  @Test
  void trivialPartitionsAgreeWithThemselves() {
    assertEquals(1.0, AdjustedRandIndex.of(new int[] {4, 4, 4}, new int[] {0, 0, 0}), 1e-12);
    assertEquals(1.0, AdjustedRandIndex.of(new int[] {0, 1, 2}, new int[] {5, 9, 7}), 1e-12);
    assertEquals(1.0, AdjustedRandIndex.of(new int[0], new int[0]), 1e-12);
    assertTrue(AdjustedRandIndex.of(new int[] {0, 0, 0}, new int[] {0, 1, 2}) < 1e-12);
  }

  @Test
  void rejectsMismatchedLengthsAndNegativeLabels() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AdjustedRandIndex.of(new int[3], new int[4]));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AdjustedRandIndex.of(new int[] {0, -2}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
  }
}
