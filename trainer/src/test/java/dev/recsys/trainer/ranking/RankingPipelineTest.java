package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.RankingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.mf.BprConfig;
import dev.recsys.trainer.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The top-N pipeline on real ml-100k data with small models. */
class RankingPipelineTest {

  /** Small but real: a short BPR, and two points of each search space. */
  static RankingPipeline.Config quick(long seed) {
    BprConfig small = new BprConfig(32, 0.005f, 0.01f, 0.001f, 4, 1024, 8, 3, 0.1f, seed);
    return RankingPipeline.Config.defaults(seed).withBpr(small)
        .withSpace(new SearchSpace(List.of(100.0, 400.0), List.of(100, 300), List.of(32), List.of(0.1), List.of(0.003, 0.03)));
  }

  @Test
  void fit_ml100k_learnedRankersBeatPopularity_easeAndAlsLead_andFoldInRanksNewUsersWell() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold fold = Splits.perUser(data.ratings(), 0.25, 42);
    RankingPipeline.Fitted f = RankingPipeline.fit(data.catalog(), fold.train(), quick(42), (s, t) -> Progress.silent(s));
    EmbeddingTables mf = RankingPipeline.ratingMfForComparison(fold.train(), Fixtures.quickRating(42).mf(), 42, (s, t) -> Progress.silent(s));

    RankingEvaluator evaluator = new RankingEvaluator(fold.train(), fold.test(), data.catalog(), 10);
    Map<String, RankingMetrics> m = new LinkedHashMap<>();
    RankingCandidates.of(f, mf, fold.train(), data.catalog()).forEach((n, c) -> m.put(n, evaluator.evaluate(c.ranker(), c.users(), c.reranker())));
    double popularity = m.get("popularity").ndcg();
    assertTrue(m.get("bpr").ndcg() > popularity + 0.05, m.toString());
    assertTrue(m.get("ials").ndcg() > popularity + 0.1, m.toString());
    assertTrue(m.get("ease").ndcg() > popularity + 0.1, m.toString());
    assertTrue(m.get("item_neighbors").ndcg() > popularity, m.toString());
    assertTrue(m.get("fold_in").ndcg() > popularity, "fold-in " + m.get("fold_in"));
    // The pruned EASE table that is served costs little against all of EASE's weights.
    assertTrue(m.get("ease").ndcg() > m.get("ease_dense").ndcg() - 0.02, m.toString());
    // Re-ranking for diversity trades a little accuracy for more genre variety.
    assertTrue(m.get("ranking_mmr").diversity() > m.get(f.rankingEmbedding()).diversity());
    // Rating accuracy is not ranking quality: the rating model ranks worse than popularity.
    assertTrue(m.get("rating_mf").ndcg() < popularity, m.toString());

    assertTrue(RankingPipeline.SELECTABLE.contains(f.selected()), f.selected());
    assertEquals(f.validationNdcg().entrySet().stream().filter(e -> RankingPipeline.SELECTABLE.contains(e.getKey()))
        .max(Map.Entry.comparingByValue()).orElseThrow().getKey(), f.selected(), "selected by validation NDCG");
    // Five similarities, then genre overlap at each weight on the best of them.
    assertEquals(5 + SimilarTables.GENRE_WEIGHTS.length, f.similarityNdcg().size());
    // The climb over two lambdas starts at the upper one, tries its neighbours (up to two past the
    // grid's ends), then two table sizes.
    var easeTried = f.tuning().get("ease").keySet();
    assertTrue(easeTried.containsAll(List.of("lambda=400", "neighbours=100", "neighbours=300")) && easeTried.size() >= 4 && easeTried.size() <= 6,
        easeTried.toString());
    assertEquals(2, f.tuning().get("ials").size(), "implicit ALS's whole grid");
    ItemNeighbors similar = f.similar();
    for (int movie = 0; movie < similar.items(); movie++) {
      int n = similar.end(movie) - similar.start(movie);
      assertTrue(n > 0 && n <= 50, "movie " + movie + " has " + n + " neighbours");
    }
  }

  @Test
  void fit_overBprsSizeLimit_skipsBpr_saysWhy_andStillPublishesEveryOtherModel() {
    MovieLensData data = Fixtures.data("ml-100k");
    RankingPipeline.Fitted f = RankingPipeline.fit(data.catalog(), data.ratings(), quick(5).withBprMaxRatings(10_000), (s, t) -> Progress.silent(s));

    assertTrue(f.skipped().get("bpr").contains("over BPR's limit of 10,000"), f.skipped().toString());
    assertTrue(!f.validationNdcg().containsKey("bpr") && f.bpr() == null, f.validationNdcg().toString());
    assertEquals("ials", f.rankingEmbedding());
    assertNotEquals("bpr", f.selected());
    assertEquals(null, f.chosen().bprEpochs());
    var candidates = RankingCandidates.of(f, null, data.ratings(), data.catalog());
    assertTrue(!candidates.containsKey("bpr") && candidates.containsKey("ials"), candidates.keySet().toString());
  }

  /**
   * EASE fits the validation split's training part but not the whole training set (more movies reach
   * its support there): the choices that depended on it are redone, and item_neighbors' validation
   * figure is the replacement similarity's, not the EASE-based table's.
   */
  @Test
  void easeTooLargeForTheWholeSet_onlyAfterValidation_redoesTheChoicesThatUsedIt() {
    MovieLensData data = Fixtures.data("ml-100k");
    RankingPipeline.Config base = quick(11);
    int minSupport = dev.recsys.trainer.topn.Ease.Config.defaults().minSupport();
    Fold inner = RankingPipeline.validationSplit(data.ratings(), base);
    long innerMovies = java.util.Arrays.stream(inner.train().movieCounts()).filter(c -> c >= minSupport).count();
    long allMovies = java.util.Arrays.stream(data.ratings().movieCounts()).filter(c -> c >= minSupport).count();
    org.junit.jupiter.api.Assumptions.assumeTrue(innerMovies < allMovies, "needs movies that reach EASE's support only with every rating");
    RankingPipeline.Config config = base.withEase(new dev.recsys.trainer.topn.Ease.Config(
        dev.recsys.trainer.topn.Ease.Config.defaults().lambda(), minSupport, (int) innerMovies));
    RankingPipeline.Fitted f = RankingPipeline.fit(data.catalog(), data.ratings(), config, (s, t) -> Progress.silent(s));
    assertTrue(f.skipped().containsKey(RankingPipeline.EASE), f.skipped().toString());
    assertTrue(!f.validationNdcg().containsKey(RankingPipeline.EASE) && !f.validationNdcg().containsKey(RankingPipeline.BLEND), f.validationNdcg().toString());
    assertTrue(!f.similarity().startsWith("ease"), f.similarity());
    assertEquals(f.similarityNdcg().get(f.similarity()), f.validationNdcg().get(RankingPipeline.ITEM_NEIGHBORS), "item_neighbors' figure is its table's");
    String best = java.util.Collections.max(f.validationNdcg().entrySet(), java.util.Map.Entry.comparingByValue()).getKey();
    assertEquals(best, f.selected(), "selected among what remains");
  }
}
