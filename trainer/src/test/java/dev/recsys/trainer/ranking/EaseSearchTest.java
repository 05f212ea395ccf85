package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.testing.Fixtures;
import dev.recsys.trainer.topn.Ease;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EASE's λ search goes past the end of its grid when the best value sits there, and only then: a
 * grid of tiny penalties (far below what MovieLens needs) is extended upward until validation stops
 * improving or the extensions run out; a single value (a chosen setting) is taken as given.
 */
class EaseSearchTest {

  @Test
  void bestAtTheGridsEnd_extendsTheSearch_aSingleValueDoesNot() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold inner = Splits.perUser(data.ratings(), 0.1, 7, 500);
    RankingEvaluator evaluator = new RankingEvaluator(inner.train(), inner.test(), data.catalog(), 10);
    SearchSpace defaults = SearchSpace.defaults();
    Map<String, String> skipped = new HashMap<>();

    SearchSpace tiny = new SearchSpace(List.of(1.0, 2.0), defaults.easeNeighbors(), defaults.ialsDim(), defaults.ialsUnobserved(),
        defaults.ialsL2());
    var extended = Tuning.ease(inner.train(), evaluator, Ease.Config.defaults(), tiny, (s, t) -> Progress.silent(s), skipped).orElseThrow();
    assertEquals(List.of("lambda=1", "lambda=2", "lambda=5", "lambda=12.5"), List.copyOf(extended.tried().keySet()),
        "penalties of 1 and 2 overfit; larger ones were tried while they kept improving: " + extended.tried());
    assertTrue(extended.tried().get("lambda=12.5") > extended.tried().get("lambda=2"), extended.tried().toString());
    assertEquals(12.5, extended.settings().lambda(), 0, "the best tried is chosen, an added point included");

    SearchSpace one = new SearchSpace(List.of(1.0), defaults.easeNeighbors(), defaults.ialsDim(), defaults.ialsUnobserved(), defaults.ialsL2());
    var given = Tuning.ease(inner.train(), evaluator, Ease.Config.defaults(), one, (s, t) -> Progress.silent(s), skipped).orElseThrow();
    assertEquals(List.of("lambda=1"), List.copyOf(given.tried().keySet()));
    assertTrue(skipped.isEmpty(), skipped.toString());
  }
}
