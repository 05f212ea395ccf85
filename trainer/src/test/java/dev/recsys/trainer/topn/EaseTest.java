package dev.recsys.trainer.topn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.trainer.data.RatingsTable;
import org.junit.jupiter.api.Test;

/** EASE against a case computed by hand. */
class EaseTest {

  /**
   * Users {0,1}, {1,2}, {0,1,2}: XᵀX = [[2,2,1],[2,3,2],[1,2,2]]; with λ = 1 its inverse is
   * [[.5,-.25,0],[-.25,.5,-.25],[0,-.25,.5]] (determinant 16), so B_ab = -P_ab / P_bb gives
   * B01 = B10 = B12 = B21 = 0.5, B02 = B20 = 0 and a zero diagonal.
   */
  static RatingsTable handCase() {
    return RatingsTable.of(3, 3, new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 0, 1, 2},
        new float[] {4, 5, 3, 4, 5, 5, 2}, new int[7]);
  }

  @Test
  void fit_handComputedCase_matchesClosedForm() throws Exception {
    Ease.Model m = Ease.fit(handCase(), new Ease.Config(1, 1, 10), Progress.silent("ease"));
    assertArrayEquals(new int[] {0, 1, 2}, m.kept());
    float[] expected = {0, 0.5f, 0, 0.5f, 0, 0.5f, 0, 0.5f, 0};
    assertArrayEquals(expected, m.weights(), 1e-6f);

    float[] scores = new float[3];
    m.score(new Ranker.User(new int[] {0, 1}, new float[] {1, 1}, null), scores);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, scores, 1e-6f);
  }

  @Test
  void pruned_keepsLargestWeights_andScoresLikeTheDenseModelWhenNothingIsCut() throws Exception {
    Ease.Model m = Ease.fit(handCase(), new Ease.Config(1, 1, 10), Progress.silent("ease"));
    ItemNeighbors table = m.pruned(10);
    // Movie 1's row: 0.5 to both others; movie 0's row: only movie 1 (its weight to 2 is 0).
    assertEquals(2, table.end(1) - table.start(1));
    assertEquals(1, table.end(0) - table.start(0));
    float[] dense = new float[3];
    float[] served = new float[3];
    Ranker.User user = new Ranker.User(new int[] {2}, new float[] {5}, null);
    m.score(user, dense);
    new NeighborRanker(table, true).score(user, served);
    assertArrayEquals(dense, served, 1e-6f);
  }

  @Test
  void fit_catalogueOverTheLimit_isRefusedWithTheSizeNamed() {
    Ease.TooLargeException e = assertThrows(Ease.TooLargeException.class,
        () -> Ease.fit(handCase(), new Ease.Config(1, 1, 2), Progress.silent("ease")));
    assertTrue(e.getMessage().contains("3 movies") && e.getMessage().contains("limit of 2"), e.getMessage());
  }

  @Test
  void config_badLambda_isRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ease.Config(-3, 1, 10));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }
}
