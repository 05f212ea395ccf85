package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.neighbors.NeighborBuilder;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.topn.Ease;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The similar-movies table: several similarities are built on the validation split's training part
 * and compared as item-kNN recommenders on its held-out part; the best one is rebuilt on the whole
 * training set.
 */
final class SimilarTables {

  static final String COSINE = "cosine";
  static final String PEARSON_BASELINE = "pearson_baseline";
  static final String EMBEDDING = "embedding";
  static final String EASE = "ease";

  /** The chosen similarity and the validation NDCG@10 of each one tried. */
  record Choice(String chosen, Map<String, Double> ndcg) {}

  private SimilarTables() {}

  static Choice choose(Catalog catalog, RatingsTable train, RankingEvaluator evaluator, EmbeddingTables embedding, Ease.Model ease,
      int k, RatingPipeline.Steps steps) {
    Map<String, Double> ndcg = new LinkedHashMap<>();
    try (Progress p = steps.start("similar-movies tables", 0)) {
      for (String name : ease == null ? new String[] {COSINE, PEARSON_BASELINE, EMBEDDING} : new String[] {COSINE, PEARSON_BASELINE, EMBEDDING, EASE}) {
        ItemNeighbors table = build(name, train, embedding, ease, k, steps);
        ndcg.put(name, evaluator.evaluate(new NeighborRanker(table), u -> RankingEvaluator.ratingsOf(train, u), null).ndcg());
      }
    }
    String chosen = ndcg.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    return new Choice(chosen, ndcg);
  }

  /** The table of one similarity over {@code train}. */
  static ItemNeighbors build(String similarity, RatingsTable train, EmbeddingTables embedding, Ease.Model ease, int k,
      RatingPipeline.Steps steps) {
    return switch (similarity) {
      case COSINE -> RankingPipeline.cosine(train, k);
      case PEARSON_BASELINE -> NeighborBuilder.build(train, RankingPipeline.baseline(train), NeighborBuilder.Config.defaults(k));
      case EMBEDDING -> RankingPipeline.embedding(embedding, k);
      case EASE -> ease.strongest(k);
      default -> throw new IllegalArgumentException("unknown similarity '" + similarity + "'");
    };
  }
}
