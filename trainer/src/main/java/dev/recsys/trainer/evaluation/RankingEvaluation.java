package dev.recsys.trainer.evaluation;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranking evaluation: the data are split per user (a share of each user's ratings, or their latest
 * ones, held out), every candidate is fitted on the rest and ranks every movie each user did not
 * rate; held-out movies are the relevant ones. The candidate with the best NDCG@k is selected (the
 * fold-in variant is reported, not selected: it is how new users are served).
 */
public final class RankingEvaluation {

  /** The outcome. */
  public record Report(
      String task, int k, String protocol, long seed, String dataset, Map<String, RankingMetrics> models, String selected,
      String similarity, Map<String, Double> similarityNdcg, Map<String, Double> foldInNdcg, int bestEpoch) {}

  private RankingEvaluation() {}

  public static Report run(MovieLensData data, Protocol protocol, int k, long seed, RankingPipeline.Config config,
      MfConfig ratingMf, RatingPipeline.Steps steps) throws IOException {
    if (!(protocol instanceof Protocol.PerUser || protocol instanceof Protocol.Last)) {
      throw new IllegalArgumentException("ranking evaluation takes per-user:<share> or last:<n>, got " + protocol);
    }
    Fold fold = Splits.folds(protocol, data.ratings(), seed, null).getFirst();
    RankingPipeline.Fitted fitted = RankingPipeline.fit(data.catalog(), fold.train(), config, steps);
    EmbeddingTables mf = RankingPipeline.ratingMfForComparison(fold.train(), ratingMf, seed, steps);
    RankingEvaluator evaluator = new RankingEvaluator(fold.train(), fold.test(), data.catalog(), k);
    Map<String, RankingMetrics> models = new LinkedHashMap<>();
    RankingPipeline.candidates(fitted, mf, fold.train(), data.catalog())
        .forEach((name, c) -> models.put(name, evaluator.evaluate(c.ranker(), c.users(), c.reranker())));
    String selected =
        models.entrySet().stream()
            .filter(e -> !e.getKey().equals(RankingPipeline.RANKING_FOLD_IN))
            .max(Map.Entry.comparingByValue(java.util.Comparator.comparingDouble(RankingMetrics::ndcg)))
            .orElseThrow().getKey();
    return new Report("ranking", k, protocol.toString(), seed, data.name(), models, selected, fitted.similarity(),
        fitted.similarityNdcg(), fitted.foldInNdcg(), fitted.bestEpoch());
  }

  /** Names of the metrics in table order. */
  public static List<String> metricNames() {
    return List.of("precision", "recall", "f1", "ndcg", "map", "hit_rate", "coverage", "diversity", "novelty");
  }
}
