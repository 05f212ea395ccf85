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
 * EASE's λ search climbs from the middle of its grid towards better validation and stops at the
 * first fall: a grid of tiny penalties (far below what MovieLens needs) is extended upward until the
 * extensions run out; a wide grid around the peak is not tried at its far ends; a single value (a
 * chosen setting) is taken as given.
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
    assertEquals(List.of("lambda=2", "lambda=5", "lambda=12.5"), List.copyOf(extended.tried().keySet()),
        "a penalty of 2 overfits; larger ones were tried while they kept improving, up to the extensions' limit: " + extended.tried());
    assertTrue(extended.tried().get("lambda=12.5") > extended.tried().get("lambda=5"), extended.tried().toString());
    assertEquals(12.5, extended.settings().lambda(), 0, "the best tried is chosen, an added point included");

    SearchSpace wide = new SearchSpace(List.of(5.0, 50.0, 500.0, 5_000.0, 50_000.0), defaults.easeNeighbors(), defaults.ialsDim(),
        defaults.ialsUnobserved(), defaults.ialsL2());
    var climbed = Tuning.ease(inner.train(), evaluator, Ease.Config.defaults(), wide, (s, t) -> Progress.silent(s), skipped).orElseThrow();
    assertEquals(List.of("lambda=500", "lambda=5000", "lambda=50"), List.copyOf(climbed.tried().keySet()),
        "from the middle, both neighbours are worse: the far ends are never fitted: " + climbed.tried());
    assertEquals(500, climbed.settings().lambda(), 0);

    SearchSpace one = new SearchSpace(List.of(1.0), defaults.easeNeighbors(), defaults.ialsDim(), defaults.ialsUnobserved(), defaults.ialsL2());
    var given = Tuning.ease(inner.train(), evaluator, Ease.Config.defaults(), one, (s, t) -> Progress.silent(s), skipped).orElseThrow();
    assertEquals(List.of("lambda=1"), List.copyOf(given.tried().keySet()));
    assertTrue(skipped.isEmpty(), skipped.toString());
  }
}
