package dev.recsys.trainer.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapBudgetTest {

  private static final long GIB = 1L << 30;

  @Test
  void ml25mShape_fitsEightGigabytes_butNotTwo_andTheRefusalSaysWhatItNeeds() {
    assertDoesNotThrow(() -> HeapBudget.require(25_000_095, 162_541, 62_423, 64, 8 * GIB));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> HeapBudget.require(25_000_095, 162_541, 62_423, 64, 2 * GIB));
    assertTrue(e.getMessage().contains("25,000,095 ratings") && e.getMessage().contains("2.0 GiB") && e.getMessage().contains("-Xmx5g"),
        e.getMessage());
  }

  @Test
  void estimate_growsLinearlyInRatingsAndRows() {
    long base = HeapBudget.estimate(0, 0, 0, 64);
    long a = HeapBudget.estimate(1_000_000, 0, 0, 64) - base;
    long b = HeapBudget.estimate(2_000_000, 0, 0, 64) - base;
    assertTrue(b == 2 * a && a > 0);
    assertTrue(HeapBudget.estimate(0, 1000, 0, 128) - base == 2 * (HeapBudget.estimate(0, 1000, 0, 64) - base));
  }
}
