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

  /**
   * Weights of genre overlap tried on the best plain similarity ({@link #withGenres}): a person
   * browsing from an animated family film expects animated family films near the top, which
   * co-ratings alone rank behind whatever everyone rated.
   */
  static final double[] GENRE_WEIGHTS = {0.25, 0.5, 1.0, 2.0, 4.0};

  /** Separates a similarity's name from its genre weight in a chosen name, e.g. {@code cosine+genres0.5}. */
  static final String GENRES = "+genres";

  /** The chosen similarity, each one's validation NDCG@10, judgement and combined score. */
  record Choice(String chosen, Map<String, Double> ndcg, Map<String, SimilarityJudge.Report> judged, Map<String, Double> score) {

    /**
     * The same choice with {@code similarity} ruled out, with or without genres (its model could not
     * be fitted on the whole training set).
     */
    Choice without(String similarity) {
      String next = score.entrySet().stream().filter(e -> !base(e.getKey()).equals(similarity)).max(Map.Entry.comparingByValue())
          .orElseThrow().getKey();
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
    java.util.function.BiConsumer<String, ItemNeighbors> score = (name, table) -> {
      ndcg.put(name, evaluator.evaluate(new NeighborRanker(table), u -> RankingEvaluator.ratingsOf(train, u), null).ndcg());
      judged.put(name, SimilarityJudge.judge(catalog, groups, table, popularity, JUDGED));
    };
    Map<String, ItemNeighbors> tables = new LinkedHashMap<>();
    try (Progress p = steps.start("similar-movies tables", names.size())) {
      // The three co-rating similarities from one pass over the co-ratings.
      List<String> coRating = List.of(COSINE, ASYMMETRIC_COSINE, PEARSON_BASELINE);
      List<ItemNeighbors> coRated = NeighborBuilder.buildAll(train, RankingPipeline.baseline(train),
          coRating.stream().map(name -> coRatingConfig(name, k)).toList(), Progress.silent("similar movies"));
      for (String name : names) {
        int at = coRating.indexOf(name);
        tables.put(name, at >= 0 ? coRated.get(at) : build(name, train, embedding, ease, k, catalog));
        score.accept(name, tables.get(name));
        p.advance(1);
      }
    }
    // Then genre overlap mixed into the best plain similarity's lists (the table already built),
    // scored the same way against every candidate so far.
    String plain = best(scores(ndcg, judged));
    for (double weight : GENRE_WEIGHTS) {
      score.accept(plain + GENRES + weight, withGenres(tables.get(plain), catalog, weight));
    }
    Map<String, Double> scores = scores(ndcg, judged);
    return new Choice(best(scores), ndcg, judged, scores);
  }

  /** The similarity a chosen name is built from, without its genre weight. */
  static String base(String chosen) {
    int genres = chosen.indexOf(GENRES);
    return genres < 0 ? chosen : chosen.substring(0, genres);
  }

  /** The candidate with the best combined score. */
  private static String best(Map<String, Double> scores) {
    return scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** Each candidate's validation NDCG and franchise hit rate, each as a share of the best candidate's, summed. */
  private static Map<String, Double> scores(Map<String, Double> ndcg, Map<String, SimilarityJudge.Report> judged) {
    double bestNdcg = ndcg.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double bestHits = judged.values().stream().mapToDouble(SimilarityJudge.Report::franchiseHitRate).filter(Double::isFinite).max().orElse(0);
    Map<String, Double> score = new LinkedHashMap<>();
    for (String name : ndcg.keySet()) {
      double hits = judged.get(name).franchiseHitRate();
      score.put(name, share(ndcg.get(name), bestNdcg) + (bestHits > 0 && Double.isFinite(hits) ? share(hits, bestHits) : 0));
    }
    return score;
  }

  /**
   * Re-ranks each movie's neighbours by {@code (s / s_max + weight x J) / (1 + weight)}: the
   * similarity as a share of the movie's strongest one, plus the Jaccard overlap {@code J} of the
   * two movies' genres. Only the stored neighbours are re-ranked (none is added), and the result
   * stays within [-1, 1].
   */
  static ItemNeighbors withGenres(ItemNeighbors table, Catalog catalog, double weight) {
    int items = table.items();
    int[] offsets = new int[items + 1];
    int[] neighbors = new int[items == 0 ? 0 : table.end(items - 1)];
    float[] similarities = new float[neighbors.length];
    for (int i = 0; i < items; i++) {
      int from = table.start(i);
      int to = table.end(i);
      offsets[i + 1] = to;
      double strongest = 0;
      for (int k = from; k < to; k++) {
        strongest = Math.max(strongest, Math.abs(table.similarity(k)));
      }
      long genres = catalog.genreMask(i);
      Integer[] order = new Integer[to - from];
      double[] blended = new double[to - from];
      for (int k = from; k < to; k++) {
        long other = catalog.genreMask(table.neighbor(k));
        long union = genres | other;
        double jaccard = union == 0 ? 0 : Long.bitCount(genres & other) / (double) Long.bitCount(union);
        double share = strongest > 0 ? table.similarity(k) / strongest : 0;
        blended[k - from] = (share + weight * jaccard) / (1 + weight);
        order[k - from] = k - from;
      }
      // Stable: equal scores keep the similarity's order.
      java.util.Arrays.sort(order, (a, b) -> Double.compare(blended[b], blended[a]));
      for (int r = 0; r < order.length; r++) {
        neighbors[from + r] = table.neighbor(from + order[r]);
        similarities[from + r] = (float) blended[order[r]];
      }
    }
    return new ItemNeighbors(offsets, neighbors, similarities);
  }

  private static double share(double value, double best) {
    return best > 0 ? value / best : 0;
  }

  /** The table of one similarity over {@code train}. */
  static ItemNeighbors build(String similarity, RatingsTable train, EmbeddingTables embedding, Ease.Model ease, int k, Catalog catalog) {
    return build(similarity, train, embedding, ease, k, Progress.silent("similar movies"), catalog);
  }

  /**
   * As {@link #build(String, RatingsTable, EmbeddingTables, Ease.Model, int, Catalog)}, counting movies on
   * {@code progress} where the similarity is built from co-ratings. A name with a genre weight
   * ({@code cosine+genres0.5}) builds the similarity, then re-ranks it {@link #withGenres}.
   */
  static ItemNeighbors build(String similarity, RatingsTable train, EmbeddingTables embedding, Ease.Model ease, int k, Progress progress,
      Catalog catalog) {
    String base = base(similarity);
    if (!base.equals(similarity)) {
      double weight = Double.parseDouble(similarity.substring(base.length() + GENRES.length()));
      return withGenres(build(base, train, embedding, ease, k, progress, catalog), catalog, weight);
    }
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
