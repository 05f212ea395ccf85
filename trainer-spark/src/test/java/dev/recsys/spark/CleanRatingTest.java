package dev.recsys.spark;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.recsys.spark.ingest.CleanRating;
import org.junit.jupiter.api.Test;

/** Which of two ratings of a pair cleaning keeps: the one-machine loader's rule. */
class CleanRatingTest {

  @Test
  void theLatestWinsThenTheLaterLine() {
    CleanRating early = new CleanRating(1, 2, 3f, 100, 7);
    CleanRating late = new CleanRating(1, 2, 4f, 200, 3);
    assertSame(late, CleanRating.later(early, late));
    assertSame(late, CleanRating.later(late, early));
    CleanRating sameTimeLaterLine = new CleanRating(1, 2, 5f, 100, 9);
    assertSame(sameTimeLaterLine, CleanRating.later(early, sameTimeLaterLine));
    assertSame(sameTimeLaterLine, CleanRating.later(sameTimeLaterLine, early));
  }

  @Test
  void timesAreUnsignedSecondsAsOnOneMachine() {
    // 2^31 + 5 seconds (the year 2038 and after) is stored as a negative int.
    CleanRating after2038 = new CleanRating(1, 2, 4f, (int) 0x8000_0005L, 1);
    CleanRating before = new CleanRating(1, 2, 3f, 1_000_000_000, 2);
    assertSame(after2038, CleanRating.later(before, after2038));
    assertSame(after2038, CleanRating.later(after2038, before));
  }
}
