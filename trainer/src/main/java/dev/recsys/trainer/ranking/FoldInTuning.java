package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.ContentBlend;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.FewRatings;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Settings of folding new users into an embedding model: targets from the model's own scores
 * (what a training positive and a random pair score), weights chosen by how well users folded in
 * from their validation-split training ratings rank their held-out movies.
 */
public final class FoldInTuning {

  /** The chosen settings and the NDCG@10 of every setting tried. */
  public record Result(FoldIn.Implicit settings, Map<String, Double> tried) {}

  private FoldInTuning() {}

  /** The fold-in's penalty grid, extended past its ends by {@link #EXTENSION_RATIO} up to {@link #EXTENSIONS} values. */
  static final List<Double> L2 = List.of(1.0, 10.0);

  /** The fold-in's background-weight grid, extended likewise. */
  static final List<Double> BACKGROUND_WEIGHT = List.of(0.001, 0.01, 0.1);

  /** Most values the climb adds past each end of a grid, so the grid's ends do not cap the choice. */
  static final int EXTENSIONS = 2;

  /** Ratio between an added value and the grid's end it extends. */
  static final double EXTENSION_RATIO = 10;

  /**
   * The fold-in's penalty and background weight, by a {@link GridClimb} on the few-ratings validation
   * ({@link FewRatingsCheck}): what the fold-in serves is a new user with a handful of ratings, and
   * settings chosen on users folded in from all their ratings suit those users instead (on ml-100k
   * they cost held-out new users 0.11 NDCG@10).
   *
   * @param model the embedding model, fitted on {@code modelTrain}
   * @param searchSet the ratings the few-ratings users are sampled from (training data only)
   */
  public static Result choose(EmbeddingTables model, RatingsTable modelTrain, RatingsTable searchSet, Catalog catalog, long seed) {
    return choose(model, modelTrain, FewRatingsCheck.of(searchSet, catalog, seed), seed);
  }

  /** As above, on a few-ratings validation already drawn (the content weight is chosen on the same one). */
  static Result choose(EmbeddingTables model, RatingsTable modelTrain, FewRatingsCheck check, long seed) {
    float[] targets = scoreTargets(model, modelTrain, seed);
    RatingsTable profilesOf = check.few().train();
    // Each user's profile once for every setting tried (it does not depend on the weights searched).
    FoldIn.Profile[] profiles = new FoldIn.Profile[profilesOf.numUsers()];
    GridClimb.Result climbed = GridClimb.climb(
        List.of(new GridClimb.Axis(L2, EXTENSIONS, EXTENSION_RATIO), new GridClimb.Axis(BACKGROUND_WEIGHT, EXTENSIONS, EXTENSION_RATIO)),
        point -> {
          FoldIn foldIn = FoldIn.implicit(model, new FoldIn.Implicit(targets[0], targets[1], (float) point[1], (float) point[0]));
          return check.evaluator().evaluate(new EmbeddingRanker(DotScorer.of(model)),
              u -> RankingCandidates.foldedIn(foldIn, profilesOf, u, check.scale(), profiles), null).ndcg();
        });
    Map<String, Double> tried = new LinkedHashMap<>();
    climbed.tried().forEach(e -> tried.put("l2=" + (float) e.getKey()[0] + ",w0=" + (float) e.getKey()[1], e.getValue()));
    return new Result(new FoldIn.Implicit(targets[0], targets[1], (float) climbed.best()[1], (float) climbed.best()[0]), tried);
  }

  /**
   * The few-ratings validation: {@link #FEW_RATINGS_USERS} sampled users of a training set, each
   * folded in from 3 to 5 of their ratings ({@link #PROFILE}) with their other ratings relevant. The
   * models were fitted with those users' ratings, so it validates how new users are folded in, not
   * a cold-start figure ({@code evaluate --task cold-start} holds users out entirely).
   */
  record FewRatingsCheck(Fold few, RankingEvaluator evaluator, RankingCandidates.Scale scale) {
    static FewRatingsCheck of(RatingsTable train, Catalog catalog, long seed) {
      int[] eligible = java.util.stream.IntStream.range(0, train.numUsers()).filter(u -> train.userCount(u) > PROFILE.max() + 1).toArray();
      int[] users = sample(eligible, FEW_RATINGS_USERS, seed);
      Fold few = FewRatings.split(train, users, PROFILE, seed + 9);
      return new FewRatingsCheck(few, new RankingEvaluator(few.train(), few.test(), catalog, 10), RankingCandidates.Scale.of(train));
    }
  }

  /** Profile sizes of the few-ratings validation (what a person typing a handful of ratings gives). */
  static final FewRatings.Sizes PROFILE = new FewRatings.Sizes(3, 5);

  /** Relative NDCG within which settings count as equal for the content rule. */
  static final double CONTENT_TOLERANCE = 0.01;

  /** Content weights per rating tried (0: collaborative only). */
  static final float[] CONTENT_WEIGHTS = {0f, 0.25f, 0.5f, 1f, 3f, 10f};

  /** Users sampled for the few-ratings validation. */
  static final int FEW_RATINGS_USERS = 500;

  /** The chosen content blend and the few-ratings NDCG@10 of every setting tried. */
  record ContentResult(float weightPerRating, float yearShare, Map<String, Double> tried) {}

  /**
   * Chooses how much content (genres, years) to blend into folded-in users of the selected model
   * ({@code foldIn} builds its collaborative fold-in for a table of profiles), on the few-ratings
   * validation {@code check} (the one the fold-in's own weights were chosen on). The model was
   * fitted with those users' ratings, so this is a validation of the blend weight, not a cold-start
   * figure; {@code evaluate --task cold-start} reports that on held-out users.
   *
   * <p>Rule: the most content among the settings within {@link #CONTENT_TOLERANCE} of the best
   * validation NDCG. NDCG cannot see what a person sees first (that the list follows the genres they
   * named), so among settings it cannot tell apart, the one closer to the stated taste wins.
   */
  static ContentResult chooseContent(java.util.function.BiFunction<RatingsTable, RankingCandidates.Scale, RankingCandidates.Candidate> foldIn,
      FewRatingsCheck check, Catalog catalog) {
    RankingEvaluator evaluator = check.evaluator();
    RankingCandidates.Scale scale = check.scale();
    RankingCandidates.Candidate collaborative = foldIn.apply(check.few().train(), scale);
    Map<String, Double> tried = new LinkedHashMap<>();
    Map<float[], Double> scores = new LinkedHashMap<>();
    for (float weight : CONTENT_WEIGHTS) {
      for (float years : new float[] {0f, 0.5f}) {
        if (weight == 0 && years > 0) {
          continue;
        }
        ContentBlend blend = RankingCandidates.content(catalog, weight, years);
        RankingCandidates.Candidate c = RankingCandidates.withContent(collaborative, blend, scale);
        double ndcg = evaluator.evaluate(c.ranker(), c.users(), c.reranker()).ndcg();
        tried.put("weight_per_rating=" + weight + ",year_share=" + years, ndcg);
        scores.put(new float[] {weight, years}, ndcg);
      }
    }
    double best = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    float bestWeight = 0;
    float bestYears = 0;
    double bestNdcg = -1;
    for (var e : scores.entrySet()) {
      float[] w = e.getKey();
      boolean level = e.getValue() >= best * (1 - CONTENT_TOLERANCE);
      // Later entries have more content (the loop order), so among equals the last one wins; ties
      // in weight go to the better NDCG.
      if (level && (w[0] > bestWeight || (w[0] == bestWeight && e.getValue() > bestNdcg))) {
        bestWeight = w[0];
        bestYears = w[1];
        bestNdcg = e.getValue();
      }
    }
    return new ContentResult(bestWeight, bestYears, tried);
  }

  private static int[] sample(int[] from, int n, long seed) {
    int[] a = from.clone();
    SplittableRandom random = new SplittableRandom(seed);
    int take = Math.min(n, a.length);
    dev.recsys.trainer.data.Shuffle.sampleToFront(a, a.length, take, random);
    int[] out = java.util.Arrays.copyOf(a, take);
    java.util.Arrays.sort(out);
    return out;
  }

  /** The chosen weights with targets recomputed for the final model. */
  public static FoldIn.Implicit retarget(FoldIn.Implicit chosen, EmbeddingTables model, RatingsTable train, long seed) {
    float[] t = scoreTargets(model, train, seed);
    return new FoldIn.Implicit(t[0], t[1], chosen.backgroundWeight(), chosen.l2());
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
}
