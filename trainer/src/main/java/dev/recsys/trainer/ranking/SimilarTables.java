package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.judge.FranchiseGroups;
import dev.recsys.trainer.judge.SimilarityJudge;
import dev.recsys.trainer.neighbors.NeighborBuilder;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.topn.Ease;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The similar-movies table. Several similarities are built on the validation split's training part
 * and each is scored twice: as an item-kNN recommender on the held-out part (ranking value), and by
 * the {@link SimilarityJudge} (do franchise siblings come first). The chosen similarity maximises
 * the sum of both figures, each divided by the best candidate's, so neither scale dominates; with
 * no franchise in the catalogue the ranking value alone decides. The winner is rebuilt on the whole
 * training set.
 */
final class SimilarTables {

  static final String COSINE = "cosine";
  static final String ASYMMETRIC_COSINE = "asymmetric_cosine";
  static final String PEARSON_BASELINE = "pearson_baseline";
  static final String EMBEDDING = "embedding";
  static final String EASE = "ease";

  /** β of the asymmetric cosine: neighbours' popularity weighs more than the query's. */
  static final double NEIGHBOR_EXPONENT = 0.8;

  /** Neighbours the judge looks at. */
  static final int JUDGED = 10;

  /** The chosen similarity, each one's validation NDCG@10, judgement and combined score. */
  record Choice(String chosen, Map<String, Double> ndcg, Map<String, SimilarityJudge.Report> judged, Map<String, Double> score) {

    /** The same choice with {@code similarity} ruled out (its model could not be fitted on the whole training set). */
    Choice without(String similarity) {
      String next = score.entrySet().stream().filter(e -> !e.getKey().equals(similarity)).max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      return new Choice(next, ndcg, judged, score);
    }
  }

  private SimilarTables() {}

  static Choice choose(Catalog catalog, RatingsTable train, RankingEvaluator evaluator, EmbeddingTables embedding, Ease.Model ease,
      int k, RatingPipeline.Steps steps) {
    Map<String, Double> ndcg = new LinkedHashMap<>();
    Map<String, SimilarityJudge.Report> judged = new LinkedHashMap<>();
    FranchiseGroups groups = FranchiseGroups.of(catalog);
    int[] popularity = train.movieCounts();
    List<String> names = new ArrayList<>(List.of(COSINE, ASYMMETRIC_COSINE, PEARSON_BASELINE, EMBEDDING));
    if (ease != null) {
      names.add(EASE);
    }
    try (Progress p = steps.start("similar-movies tables", names.size())) {
      // The three co-rating similarities from one pass over the co-ratings.
      List<String> coRating = List.of(COSINE, ASYMMETRIC_COSINE, PEARSON_BASELINE);
      List<ItemNeighbors> coRated = NeighborBuilder.buildAll(train, RankingPipeline.baseline(train),
          coRating.stream().map(name -> coRatingConfig(name, k)).toList(), Progress.silent("similar movies"));
      for (String name : names) {
        int at = coRating.indexOf(name);
        ItemNeighbors table = at >= 0 ? coRated.get(at) : build(name, train, embedding, ease, k);
        ndcg.put(name, evaluator.evaluate(new NeighborRanker(table), u -> RankingEvaluator.ratingsOf(train, u), null).ndcg());
        judged.put(name, SimilarityJudge.judge(catalog, groups, table, popularity, JUDGED));
        p.advance(1);
      }
    }
    double bestNdcg = ndcg.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double bestHits = judged.values().stream().mapToDouble(SimilarityJudge.Report::franchiseHitRate).filter(Double::isFinite).max().orElse(0);
    Map<String, Double> score = new LinkedHashMap<>();
    for (String name : names) {
      double hits = judged.get(name).franchiseHitRate();
      score.put(name, share(ndcg.get(name), bestNdcg) + (bestHits > 0 && Double.isFinite(hits) ? share(hits, bestHits) : 0));
    }
    String chosen = score.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    return new Choice(chosen, ndcg, judged, score);
  }

  private static double share(double value, double best) {
    return best > 0 ? value / best : 0;
  }

  /** The table of one similarity over {@code train}. */
  static ItemNeighbors build(String similarity, RatingsTable train, EmbeddingTables embedding, Ease.Model ease, int k) {
    return build(similarity, train, embedding, ease, k, Progress.silent("similar movies"));
  }

  /** As {@link #build(String, RatingsTable, EmbeddingTables, Ease.Model, int)}, counting movies on {@code progress} where the similarity is built from co-ratings. */
  static ItemNeighbors build(String similarity, RatingsTable train, EmbeddingTables embedding, Ease.Model ease, int k, Progress progress) {
    return switch (similarity) {
      case COSINE, ASYMMETRIC_COSINE -> NeighborBuilder.build(train, (u, m) -> 0, coRatingConfig(similarity, k), progress);
      case PEARSON_BASELINE -> NeighborBuilder.build(train, RankingPipeline.baseline(train), coRatingConfig(similarity, k), progress);
      case EMBEDDING -> RankingPipeline.embedding(embedding, k);
      case EASE -> ease.strongest(k);
      default -> throw new IllegalArgumentException("unknown similarity '" + similarity + "'");
    };
  }

  /** The neighbour builder's settings of a co-rating similarity. */
  private static NeighborBuilder.Config coRatingConfig(String similarity, int k) {
    NeighborBuilder.Config base = NeighborBuilder.Config.defaults(k);
    return switch (similarity) {
      case COSINE -> base.with(NeighborBuilder.Similarity.COSINE_IMPLICIT, 10);
      case ASYMMETRIC_COSINE -> base.asymmetric(NEIGHBOR_EXPONENT, 10);
      case PEARSON_BASELINE -> base;
      default -> throw new IllegalArgumentException("'" + similarity + "' is not a co-rating similarity");
    };
  }
}
