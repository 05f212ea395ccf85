package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.scoring.Diversifier;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.mf.BprConfig;
import dev.recsys.trainer.mf.BprTrainer;
import dev.recsys.trainer.mf.EpochStats;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.mf.RatingMfTrainer;
import dev.recsys.trainer.neighbors.EmbeddingNeighbors;
import dev.recsys.trainer.neighbors.NeighborBuilder;
import dev.recsys.trainer.rating.BaselineFitter;
import dev.recsys.trainer.rating.RatingPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fits the top-N models on one training set: the BPR ranking model (early-stopped on a per-user
 * split of the training set, then fine-tuned on all of it), the similar-movies table (three
 * similarities compared as item-kNN recommenders on that split, the best kept), popularity, and the
 * fold-in settings (calibrated so that folded-in users rank like learned ones).
 */
public final class RankingPipeline {

  public static final String POPULARITY = "popularity";
  public static final String RATING_MF = "rating_mf";
  public static final String ITEM_NEIGHBORS = "item_neighbors";
  public static final String RANKING = "ranking";
  public static final String RANKING_MMR = "ranking_mmr";
  /** The ranking model with users folded in from their ratings, as RecommendForRatings serves them. */
  public static final String RANKING_FOLD_IN = "ranking_fold_in";

  /**
   * @param bpr ranking model settings
   * @param innerShare per-user share of the training set held back for early stopping and choices
   * @param fineTuneEpochs epochs of fine-tuning on the whole training set
   * @param similarNeighbors neighbours kept per movie in the similar-movies table
   * @param diversity MMR weight of the re-ranked candidate
   * @param seed random seed
   */
  public record Config(BprConfig bpr, double innerShare, int fineTuneEpochs, int similarNeighbors, double diversity, long seed) {
    public static Config defaults(long seed) {
      return new Config(BprConfig.defaults(seed), 0.1, 2, 50, 0.3, seed);
    }

    public Config withBpr(BprConfig b) {
      return new Config(b, innerShare, fineTuneEpochs, similarNeighbors, diversity, seed);
    }
  }

  /** What was fitted, and the evidence for the choices made. */
  public record Fitted(
      EmbeddingTables ranking,
      List<EpochStats> curve,
      int bestEpoch,
      ItemNeighbors similar,
      String similarity,
      Map<String, Double> similarityNdcg,
      int[] popularity,
      FoldIn.Implicit foldIn,
      Map<String, Double> foldInNdcg,
      double diversity) {}

  /** A candidate of the ranking evaluation. */
  public record Candidate(Ranker ranker, RankingEvaluator.Users users, RankingEvaluator.Reranker reranker) {}

  private RankingPipeline() {}

  public static Fitted fit(Catalog catalog, RatingsTable train, Config config, RatingPipeline.Steps steps) {
    Fold inner = Splits.perUser(train, config.innerShare(), config.seed() + 3);
    RankingEvaluator innerEval = new RankingEvaluator(inner.train(), inner.test(), catalog, 10);

    BprTrainer.Result early;
    try (Progress p = steps.start("ranking model (BPR, DJL), epoch", config.bpr().maxEpochs())) {
      early = BprTrainer.train(inner.train(), config.bpr(),
          m -> -innerEval.evaluate(new EmbeddingRanker(DotScorer.of(m)), u -> new Ranker.User(null, null, m.userVector(u)), null).ndcg(), p);
    }
    int[] innerCounts = inner.train().movieCounts();

    Map<String, ItemNeighbors> tables = new LinkedHashMap<>();
    Map<String, Double> tableNdcg = new LinkedHashMap<>();
    String chosen;
    try (Progress p = steps.start("similar-movies tables", 0)) {
      BiasModel baseline = BaselineFitter.fit(inner.train(), BaselineFitter.Config.defaults());
      NeighborBuilder.Config base = NeighborBuilder.Config.defaults(config.similarNeighbors());
      tables.put("cosine", NeighborBuilder.build(inner.train(), baseline, base.with(NeighborBuilder.Similarity.COSINE_IMPLICIT, 10)));
      tables.put("pearson_baseline", NeighborBuilder.build(inner.train(), baseline, base));
      tables.put("embedding", EmbeddingNeighbors.build(ColdMovies.fillEmbeddings(early.model(), catalog, innerCounts), config.similarNeighbors()));
      for (var e : tables.entrySet()) {
        tableNdcg.put(e.getKey(), innerEval.evaluate(new NeighborRanker(e.getValue()), u -> RankingEvaluator.ratingsOf(inner.train(), u), null).ndcg());
      }
      chosen = tableNdcg.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    // Fold-in: targets from the model's own scores, weights chosen by how well folded-in users rank.
    Map<String, Double> foldInNdcg = new LinkedHashMap<>();
    FoldIn.Implicit bestFoldIn = null;
    double bestFoldInNdcg = -1;
    float[] targets = scoreTargets(early.model(), inner.train(), config.seed());
    for (float l2 : new float[] {1f, 10f}) {
      for (float w0 : new float[] {0.001f, 0.01f, 0.1f}) {
        FoldIn.Implicit settings = new FoldIn.Implicit(targets[0], targets[1], w0, l2);
        double ndcg = foldInEvaluation(early.model(), settings, inner.train(), innerEval);
        foldInNdcg.put("l2=" + l2 + ",w0=" + w0, ndcg);
        if (ndcg > bestFoldInNdcg) {
          bestFoldInNdcg = ndcg;
          bestFoldIn = settings;
        }
      }
    }

    // The final models: fine-tuned and rebuilt on the whole training set.
    BprTrainer.Result tuned = early;
    if (config.fineTuneEpochs() > 0) {
      try (Progress p = steps.start("fine-tune ranking model on the whole training set, epoch", config.fineTuneEpochs())) {
        BprTrainer.Result ft = BprTrainer.fineTune(early.model(), train, config.bpr(), config.fineTuneEpochs(), config.bpr().learningRate() / 2, p);
        List<EpochStats> curve = new ArrayList<>(early.curve());
        for (EpochStats e : ft.curve()) {
          curve.add(new EpochStats(early.curve().size() + e.epoch(), e.trainLoss(), e.validationMetric(), e.seconds()));
        }
        tuned = new BprTrainer.Result(ft.model(), curve, early.bestEpoch(), early.bestValidation());
      }
    }
    int[] counts = train.movieCounts();
    EmbeddingTables ranking = ColdMovies.fillEmbeddings(tuned.model(), catalog, counts);
    float[] finalTargets = scoreTargets(tuned.model(), train, config.seed());
    FoldIn.Implicit foldIn = new FoldIn.Implicit(finalTargets[0], finalTargets[1], bestFoldIn.backgroundWeight(), bestFoldIn.l2());
    ItemNeighbors similar;
    try (Progress p = steps.start("similar-movies table (" + chosen + ")", 0)) {
      NeighborBuilder.Config base = NeighborBuilder.Config.defaults(config.similarNeighbors());
      similar = switch (chosen) {
        case "cosine" -> NeighborBuilder.build(train, (u, m) -> 0, base.with(NeighborBuilder.Similarity.COSINE_IMPLICIT, 10));
        case "pearson_baseline" -> NeighborBuilder.build(train, BaselineFitter.fit(train, BaselineFitter.Config.defaults()), base);
        default -> EmbeddingNeighbors.build(ranking, config.similarNeighbors());
      };
      similar = ColdMovies.fillNeighbors(similar, catalog, counts, config.similarNeighbors());
    }
    return new Fitted(ranking, tuned.curve(), tuned.bestEpoch(), similar, chosen, tableNdcg, counts, foldIn, foldInNdcg, config.diversity());
  }

  /**
   * A rating factorisation trained on {@code train} alone (early-stopped on a hold-out of it), so that
   * "rank by predicted rating" is compared on the same held-out users as the other candidates.
   */
  public static EmbeddingTables ratingMfForComparison(RatingsTable train, MfConfig config, long seed, RatingPipeline.Steps steps) {
    try (Progress p = steps.start("rating factorisation for comparison, epoch", config.maxEpochs())) {
      Fold inner = Splits.holdout(train, 0.1, seed + 5);
      return RatingMfTrainer.train(inner.train(), inner.test(), config, p).model();
    }
  }

  /** Mean score of training positives and of random pairs (the fold-in's targets). */
  static float[] scoreTargets(EmbeddingTables model, RatingsTable train, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double positive = 0;
    double negative = 0;
    int samples = Math.min(20_000, train.size());
    for (int s = 0; s < samples; s++) {
      int row = random.nextInt(train.size());
      positive += model.score(train.user(row), train.movie(row));
      negative += model.score(random.nextInt(model.users()), random.nextInt(model.items()));
    }
    return new float[] {(float) (positive / samples), (float) (negative / samples)};
  }

  private static double foldInEvaluation(EmbeddingTables model, FoldIn.Implicit settings, RatingsTable train, RankingEvaluator evaluator) {
    FoldIn foldIn = FoldIn.implicit(model, settings);
    Scale scale = Scale.of(train);
    return evaluator.evaluate(new EmbeddingRanker(DotScorer.of(model)), u -> foldedIn(foldIn, train, u, scale), null).ndcg();
  }

  /** Midpoint and half-width of the rating scale of a table. */
  record Scale(float midpoint, float span) {
    static Scale of(RatingsTable t) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < t.size(); i++) {
        min = Math.min(min, t.rating(i));
        max = Math.max(max, t.rating(i));
      }
      return min >= max ? new Scale(3f, 2f) : new Scale((min + max) / 2, (max - min) / 2);
    }
  }

  private static Ranker.User foldedIn(FoldIn foldIn, RatingsTable train, int u, Scale scale) {
    Ranker.User rated = RankingEvaluator.ratingsOf(train, u);
    return new Ranker.User(rated.movies(), rated.ratings(), foldIn.rankingVector(rated.movies(), rated.ratings(), scale.midpoint(), scale.span()));
  }

  /** Every candidate ranker, evaluated on held-out ratings of users of {@code train}. */
  public static Map<String, Candidate> candidates(Fitted f, EmbeddingTables ratingMf, RatingsTable train, Catalog catalog) {
    long[] masks = new long[catalog.size()];
    for (int m = 0; m < masks.length; m++) {
      masks[m] = catalog.genreMask(m);
    }
    EmbeddingRanker ranking = new EmbeddingRanker(DotScorer.of(f.ranking()));
    RankingEvaluator.Users learned = u -> new Ranker.User(null, null, f.ranking().userVector(u));
    FoldIn foldIn = FoldIn.implicit(f.ranking(), f.foldIn());
    Scale scale = Scale.of(train);
    Map<String, Candidate> c = new LinkedHashMap<>();
    c.put(POPULARITY, new Candidate(new PopularityRanker(f.popularity()), u -> null, null));
    c.put(RATING_MF, new Candidate(new EmbeddingRanker(DotScorer.of(ratingMf)), u -> new Ranker.User(null, null, ratingMf.userVector(u)), null));
    c.put(ITEM_NEIGHBORS, new Candidate(new NeighborRanker(f.similar()), u -> RankingEvaluator.ratingsOf(train, u), null));
    c.put(RANKING, new Candidate(ranking, learned, null));
    c.put(RANKING_MMR, new Candidate(ranking, learned, (top, scores, k) -> Diversifier.rerank(top, scores, masks, k, f.diversity())));
    c.put(RANKING_FOLD_IN, new Candidate(ranking, u -> foldedIn(foldIn, train, u, scale), null));
    return c;
  }
}
