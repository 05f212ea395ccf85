package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The top-N pipeline on real ml-100k data with a small ranking model. */
class RankingPipelineTest {

  @Test
  void fit_ml100k_learnedRankersBeatPopularity_andFoldInRanksNewUsersWell() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold fold = Splits.perUser(data.ratings(), 0.25, 42);
    BprConfig small = new BprConfig(32, 0.005f, 0.01f, 0.001f, 4, 1024, 8, 3, 0.1f, 42);
    RankingPipeline.Config config = RankingPipeline.Config.defaults(42).withBpr(small);

    RankingPipeline.Fitted f = RankingPipeline.fit(data.catalog(), fold.train(), config, (s, t) -> Progress.silent(s));
    EmbeddingTables mf = RankingPipeline.ratingMfForComparison(fold.train(), Fixtures.quickRating(42).mf(), 42, (s, t) -> Progress.silent(s));

    RankingEvaluator evaluator = new RankingEvaluator(fold.train(), fold.test(), data.catalog(), 10);
    Map<String, RankingMetrics> m = new LinkedHashMap<>();
    RankingPipeline.candidates(f, mf, fold.train(), data.catalog()).forEach((n, c) -> m.put(n, evaluator.evaluate(c.ranker(), c.users(), c.reranker())));
    double popularity = m.get("popularity").ndcg();
    assertTrue(m.get("ranking").ndcg() > popularity + 0.1, m.toString());
    assertTrue(m.get("item_neighbors").ndcg() > popularity, m.toString());
    assertTrue(m.get("ranking_fold_in").ndcg() > popularity, "fold-in " + m.get("ranking_fold_in"));
    // Re-ranking for diversity trades a little accuracy for more genre variety.
    assertTrue(m.get("ranking_mmr").diversity() > m.get("ranking").diversity());
    assertTrue(m.get("ranking_mmr").ndcg() > m.get("ranking").ndcg() - 0.05);
    // Rating accuracy is not ranking quality: the rating model ranks worse than popularity.
    assertTrue(m.get("rating_mf").ndcg() < popularity, m.toString());

    assertEquals(3, f.similarityNdcg().size());
    ItemNeighbors similar = f.similar();
    for (int movie = 0; movie < similar.items(); movie++) {
      int n = similar.end(movie) - similar.start(movie);
      assertTrue(n > 0 && n <= 50, "movie " + movie + " has " + n + " neighbours");
    }
  }
}
