package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EaseTableSizeTest {

  @Test
  void aSmallerTableWithinTheNoise_ties_oneClearlyWorse_doesNot() {
    SplittableRandom random = new SplittableRandom(4);
    int users = 600;
    double[] best = new double[users];
    double[] noisy = new double[users];
    double[] worse = new double[users];
    for (int u = 0; u < users; u++) {
      best[u] = random.nextDouble();
      // Per user the two differ by noise of sd 0.1 around a mean difference of -0.002: not tellable apart.
      noisy[u] = best[u] - 0.002 + random.nextGaussian() * 0.1;
      worse[u] = best[u] - 0.05 + random.nextGaussian() * 0.1;
    }
    assertTrue(EaseTableSize.tiesWith(noisy, best, 1));
    assertFalse(EaseTableSize.tiesWith(worse, best, 1));
    assertTrue(EaseTableSize.tiesWith(best.clone(), best, 1), "the same figures tie");
  }
}
