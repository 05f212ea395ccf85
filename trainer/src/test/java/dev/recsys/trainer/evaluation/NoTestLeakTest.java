package dev.recsys.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.mf.BprConfig;
import dev.recsys.trainer.ranking.RankingPipeline;
import dev.recsys.trainer.ranking.SearchSpace;
import dev.recsys.trainer.testing.Fixtures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * No test-part data reaches any choice: the same training part is evaluated against its real test
 * part and against a planted one on which popularity is the best model by far. If any choice (a
 * setting, an early-stopping point, the selected model) looked at the test part, the planted run
 * would choose differently; the test figures must of course differ.
 */
class NoTestLeakTest {

  @Test
  void evaluate_plantedTestPart_changesTestFiguresButNoChoice() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold real = Splits.perUser(data.ratings(), 0.25, 42);
    Fold planted = new Fold(0, real.train(), mostPopularUnrated(real));
    BprConfig small = new BprConfig(16, 0.005f, 0.01f, 0.001f, 4, 1024, 4, 2, 0.1f, 42);
    RankingPipeline.Config config = RankingPipeline.Config.defaults(42).withBpr(small)
        .withSpace(new SearchSpace(List.of(100.0, 400.0), List.of(100, 300), List.of(16), List.of(0.1), List.of(0.01)));

    RankingEvaluation.Repeat a = RankingEvaluation.onFold(data, real, 10, 42, config, Fixtures.quickRating(42).mf(), (s, t) -> Progress.silent(s));
    RankingEvaluation.Repeat b = RankingEvaluation.onFold(data, planted, 10, 42, config, Fixtures.quickRating(42).mf(), (s, t) -> Progress.silent(s));

    String bestOnPlantedTest = b.models().entrySet().stream()
        .max(Comparator.comparingDouble(e -> e.getValue().metrics().ndcg())).orElseThrow().getKey();
    assertEquals("popularity", bestOnPlantedTest, "the planted test part favours popularity");
    assertNotEquals(a.models().get("popularity").metrics().ndcg(), b.models().get("popularity").metrics().ndcg());

    assertEquals(a.selected(), b.selected());
    assertNotEquals("popularity", b.selected());
    // Every validation figure is the same, except BPR's: it trains through libtorch, which does
    // not promise bitwise determinism within one JVM, and early stopping amplifies the drift (seen:
    // 0.130 vs 0.105). BPR is far below the selected model here, so no choice rests on it; every
    // other figure is plain Java and must match exactly.
    assertEquals(a.validationNdcg().keySet(), b.validationNdcg().keySet());
    a.validationNdcg().forEach((model, ndcg) -> {
      if (!model.equals("bpr")) {
        assertEquals(ndcg, b.validationNdcg().get(model), model);
      }
    });
    assertTrue(a.validationNdcg().get("bpr") < a.validationNdcg().get(a.selected()) - 0.02, "BPR decides nothing in this test");
    assertEquals(a.tuning(), b.tuning());
    var pa = (dev.recsys.trainer.ranking.ChosenParams) a.chosenParams();
    var pb = (dev.recsys.trainer.ranking.ChosenParams) b.chosenParams();
    assertEquals(pa.easeLambda(), pb.easeLambda());
    assertEquals(pa.easeNeighbors(), pb.easeNeighbors());
    assertEquals(List.of(pa.ialsDim(), pa.ialsUnobserved(), pa.ialsL2(), pa.ialsIterations()),
        List.of(pb.ialsDim(), pb.ialsUnobserved(), pb.ialsL2(), pb.ialsIterations()));
    assertEquals(a.similarity(), b.similarity());
    assertEquals(a.foldInNdcg(), b.foldInNdcg());
    assertTrue(b.models().get(b.selected()).validationNdcg() != null);
  }

  /** Each user's held-out movies replaced by as many of the most rated movies they did not rate in training. */
  private static RatingsTable mostPopularUnrated(Fold fold) {
    RatingsTable train = fold.train();
    int[] counts = train.movieCounts();
    Integer[] byPopularity = IntStream.range(0, counts.length).boxed().sorted((x, y) -> Integer.compare(counts[y], counts[x])).toArray(Integer[]::new);
    List<int[]> rows = new ArrayList<>();
    for (int u = 0; u < train.numUsers(); u++) {
      java.util.Set<Integer> rated = new java.util.HashSet<>();
      for (int r = train.userStart(u); r < train.userEnd(u); r++) {
        rated.add(train.movie(r));
      }
      int want = fold.test().userCount(u);
      for (int i = 0; i < byPopularity.length && want > 0; i++) {
        if (!rated.contains(byPopularity[i])) {
          rows.add(new int[] {u, byPopularity[i]});
          want--;
        }
      }
    }
    int n = rows.size();
    int[] users = rows.stream().mapToInt(r -> r[0]).toArray();
    int[] movies = rows.stream().mapToInt(r -> r[1]).toArray();
    return RatingsTable.of(train.numUsers(), train.numMovies(), users, movies, new float[n], new int[n]);
  }
}
