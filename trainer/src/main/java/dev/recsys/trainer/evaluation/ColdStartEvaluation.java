package dev.recsys.trainer.evaluation;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.scoring.Diversifier;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.trainer.data.Demographics;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.ranking.DemographicColdStart;
import dev.recsys.trainer.ranking.RankingCandidates;
import dev.recsys.trainer.ranking.RankingPipeline;
import dev.recsys.trainer.rating.RatingPipeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * New users, measured as they arrive: a seeded share of users is held out entirely; the models are
 * fitted on everybody else (every choice made on validation inside that, as always); each held-out
 * user is then folded in from a few of their ratings ({@link FewRatings}) and their other ratings
 * are relevant. Beside NDCG: the genre coherence of each list with the profile (mean Jaccard of a
 * recommended movie's genres with the genres the profile named), since a person who named four
 * animated films expects to see their taste first.
 */
public final class ColdStartEvaluation {

  /** One candidate's figures over the held-out users. */
  public record CandidateResult(RankingMetrics metrics, Bootstrap.Interval ndcgInterval, Bootstrap.Difference versusServed,
      double genreCoherence) {}

  /**
   * New users who rated nothing but stated age and gender: plain popularity against {@link
   * dev.recsys.models.demographics.DemographicPopularity} (its prior and whether it is kept chosen on validation users among the
   * training users), both counted from the training users, over every held-out user with known age
   * and gender; all their ratings are relevant.
   *
   * @param keptOnValidation whether training would serve it (it beat popularity on validation users)
   */
  public record NoRatings(int users, float prior, boolean keptOnValidation, RankingMetrics popularity, Bootstrap.Interval popularityInterval,
      RankingMetrics demographic, Bootstrap.Interval demographicInterval, Bootstrap.Difference versusPopularity) {}

  /**
   * @param noRatings the new users who rated nothing, by demographics (null when the data has none)
   * @param heldOutUsers users folded in (those with enough ratings among the held-out share)
   * @param served the name of what RecommendForRatings serves
   */
  public record Report(String task, String dataset, double share, FewRatings.Sizes profile, int k, long seed, int heldOutUsers,
      String selected, float contentWeight, float contentYearShare, Map<String, Double> contentValidation, String served,
      Map<String, CandidateResult> models, NoRatings noRatings) {}

  private ColdStartEvaluation() {}

  public static Report run(MovieLensData data, double share, FewRatings.Sizes sizes, int k, long seed, RankingPipeline.Config config,
      RatingPipeline.Steps steps) {
    if (!(share > 0 && share < 0.5)) {
      throw new IllegalArgumentException("the held-out user share must be in (0, 0.5), got " + share);
    }
    RatingsTable all = data.ratings();
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] heldOut = new boolean[all.numUsers()];
    for (int u = 0; u < all.numUsers(); u++) {
      heldOut[u] = random.nextDouble() < share;
    }
    int[] users = IntStream.range(0, all.numUsers()).filter(u -> heldOut[u]).toArray();
    int[] trainRows = IntStream.range(0, all.size()).filter(r -> !heldOut[all.user(r)]).toArray();
    // Everything below is fitted without a single rating of the held-out users.
    RatingsTable known = all.subset(trainRows);
    RankingPipeline.Fitted fitted = RankingPipeline.fit(data.catalog(), known, config, steps);
    Fold few = FewRatings.split(all, users, sizes, seed + 1);
    // Novelty against the popularity the models learnt, not the new users' few profile ratings.
    RankingEvaluator evaluator = new RankingEvaluator(few.train(), few.test(), data.catalog(), k, known.movieCounts());
    Map<String, RankingEvaluator.Detailed> detailed = new LinkedHashMap<>();
    Map<String, Double> coherence = new LinkedHashMap<>();
    RankingCandidates.newUsers(fitted, few.train(), all, data.catalog()).forEach((name, c) -> {
      double[] sum = {0};
      detailed.put(name, evaluator.evaluateDetailed(c.ranker(), c.users(), c.reranker(),
          (u, top) -> sum[0] += coherence(data.catalog(), few.train(), u, top)));
      coherence.put(name, sum[0] / Math.max(1, detailed.get(name).users().length));
    });
    double[] served = detailed.get(RankingPipeline.FOLD_IN).ndcg();
    Map<String, CandidateResult> models = new LinkedHashMap<>();
    detailed.forEach((name, d) -> models.put(name, new CandidateResult(d.metrics(), Bootstrap.mean(d.ndcg(), seed),
        Bootstrap.paired(d.ndcg(), served, seed), coherence.get(name))));
    return new Report("cold-start", data.name(), share, sizes, k, seed, detailed.get(RankingPipeline.FOLD_IN).users().length,
        fitted.selected(), fitted.contentWeight(), fitted.contentYearShare(), fitted.tuning().get(RankingPipeline.FOLD_IN + "_content"),
        RankingPipeline.FOLD_IN, models, data.demographics().map(people -> noRatings(data, known, users, people, k, seed)).orElse(null));
  }

  private static NoRatings noRatings(MovieLensData data, RatingsTable train, int[] heldOutUsers, Demographics people, int k, long seed) {
    RatingsTable all = data.ratings();
    int[] groups = DemographicColdStart.groups(people, all.numUsers());
    boolean[] evaluated = new boolean[all.numUsers()];
    for (int u : heldOutUsers) {
      evaluated[u] = groups[u] >= 0;
    }
    RatingsTable relevant = all.subset(IntStream.range(0, all.size()).filter(r -> evaluated[all.user(r)]).toArray());
    DemographicColdStart.Result chosen = DemographicColdStart.fit(data.catalog(), train, people, seed + 2);
    if (chosen.candidate() == null) {
      return null;
    }
    RankingEvaluator evaluator = new RankingEvaluator(all.subset(new int[0]), relevant, data.catalog(), k, train.movieCounts());
    RankingEvaluator.Users members = DemographicColdStart.members(groups);
    RankingEvaluator.Detailed popular = evaluator.evaluateDetailed(new PopularityRanker(train.movieCounts()), members, null);
    RankingEvaluator.Detailed demographic = evaluator.evaluateDetailed(chosen.candidate(), members, null);
    return new NoRatings(popular.users().length, chosen.prior(), chosen.kept(), popular.metrics(), Bootstrap.mean(popular.ndcg(), seed),
        demographic.metrics(), Bootstrap.mean(demographic.ndcg(), seed), Bootstrap.paired(demographic.ndcg(), popular.ndcg(), seed));
  }

  /** Mean Jaccard of each listed movie's genres with the union of the profile's genres. */
  static double coherence(Catalog catalog, RatingsTable profiles, int user, int[] top) {
    long named = 0;
    for (int r = profiles.userStart(user); r < profiles.userEnd(user); r++) {
      named |= catalog.genreMask(profiles.movie(r));
    }
    double sum = 0;
    for (int m : top) {
      sum += Diversifier.jaccard(catalog.genreMask(m), named);
    }
    return top.length == 0 ? 0 : sum / top.length;
  }
}
