package dev.recsys.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Novelty is measured against the popularity the models learnt: for new users the evaluator's
 * training part holds only their few profile ratings, and counting popularity there made every
 * movie equally unknown (novelty log2(users) for every model).
 */
class RankingEvaluatorNoveltyTest {

  @Test
  void noveltyUsesTheGivenPopularity_notTheEvaluatedUsersProfiles() {
    MovieLensData data = Fixtures.data("ml-100k");
    RatingsTable all = data.ratings();
    Fold fold = Splits.perUser(all, 0.25, 7);
    RatingsTable profilesOnly = all.subset(new int[0]);
    RankingEvaluator.Users users = u -> RankingEvaluator.ratingsOf(profilesOnly, u);
    PopularityRanker popular = new PopularityRanker(fold.train().movieCounts());
    double fromProfiles = new RankingEvaluator(profilesOnly, fold.test(), data.catalog(), 10).evaluate(popular, users, null).novelty();
    double fromModel = new RankingEvaluator(profilesOnly, fold.test(), data.catalog(), 10, fold.train().movieCounts())
        .evaluate(popular, users, null).novelty();
    double log2Users = Math.log(all.numUsers()) / Math.log(2);
    assertEquals(log2Users, fromProfiles, 1e-9, "with no ratings counted, every movie looks unseen");
    assertTrue(fromModel < log2Users - 2, "the most popular movies are not novel: " + fromModel + " bits against " + log2Users);
  }
}
