package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.testing.Fixtures;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split the pipeline makes its choices on follows the evaluation's kind: by time for last:n. */
class ValidationSplitTest {

  @Test
  void withInnerLast_eachUsersLatestRatingsAreHeldBack_andNoLaterOneStaysInTraining() {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    Fold byTime = RankingPipeline.validationSplit(all, RankingPipeline.Config.defaults(3).withInnerLast(2));
    Map<Integer, Long> earliestHeld = new HashMap<>();
    Map<Integer, Integer> held = new HashMap<>();
    for (int r = 0; r < byTime.test().size(); r++) {
      earliestHeld.merge(byTime.test().user(r), byTime.test().timestamp(r), Math::min);
      held.merge(byTime.test().user(r), 1, Integer::sum);
    }
    assertTrue(held.values().stream().allMatch(n -> n == 2), "two per user");
    for (int r = 0; r < byTime.train().size(); r++) {
      Long cut = earliestHeld.get(byTime.train().user(r));
      assertTrue(cut == null || byTime.train().timestamp(r) <= cut, "a training rating later than the held-back ones, row " + r);
    }
    // Without it: the random per-user share, as before.
    Fold random = RankingPipeline.validationSplit(all, RankingPipeline.Config.defaults(3));
    assertEquals(Math.round(0.1 * all.size()), random.test().size(), 0.02 * all.size());
  }
}
