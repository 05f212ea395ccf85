package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.demographics.DemographicGroups;
import dev.recsys.models.demographics.DemographicPopularity;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.trainer.data.Demographics;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Bootstrap;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The first list of a new user who stated their age or gender but rated nothing: {@link
 * DemographicPopularity}, kept only where it beats plain popularity on validation users.
 *
 * <p>A seeded {@link #VALIDATION_SHARE} of the users with known age and gender play new users: the
 * counts come from everyone else, every movie a validation user rated is relevant, and NDCG@10 is
 * compared with popularity counted from the same users (paired bootstrap over users). The prior
 * (pseudo-users of overall popularity in each group) is the best of {@link #PRIORS} there; the
 * model is kept only when its paired interval against popularity lies above zero, then counted
 * again from every user.
 */
public final class DemographicColdStart {

  /** Share of the users with known demographics who play new users. */
  public static final double VALIDATION_SHARE = 0.3;

  /** Priors tried, in pseudo-users. */
  static final float[] PRIORS = {0, 10, 25, 50, 100, 200, 500, 1000};

  /** List length of the validation NDCG. */
  static final int K = 10;

  /** Fewest validation users for a verdict; with fewer, nothing is kept. */
  static final int MIN_VALIDATION_USERS = 30;

  /**
   * The outcome.
   *
   * @param candidate the groups' popularity with the chosen prior, counted from every user (null when
   *     too few users could validate it)
   * @param kept whether it beat popularity on validation users, so new users get it
   * @param prior the prior chosen on validation users
   * @param validationNdcg NDCG@10 of the chosen prior on the validation users
   * @param popularityNdcg NDCG@10 of plain popularity on the same users
   * @param difference paired difference against popularity (bootstrap 95% interval over users)
   * @param validationUsers how many users played new users
   * @param tried validation NDCG@10 of every prior tried
   * @param reason why nothing was kept (null when kept)
   */
  public record Result(DemographicPopularity candidate, boolean kept, float prior, double validationNdcg, double popularityNdcg,
      Bootstrap.Difference difference, int validationUsers, Map<Float, Double> tried, String reason) {

    /** What new users are served: the candidate when kept, else null (popularity). */
    public DemographicPopularity served() {
      return kept ? candidate : null;
    }
  }

  private DemographicColdStart() {}

  /** The demographic group of every user of {@code people} ({@link DemographicGroups#of}), -1 when unknown. */
  public static int[] groups(Demographics people, int users) {
    int[] groups = new int[users];
    for (int u = 0; u < users; u++) {
      groups[u] = u < people.ages().length ? DemographicGroups.of(people.ages()[u], DemographicGroups.gender(people.genders()[u])) : -1;
    }
    return groups;
  }

  public static Result fit(Catalog catalog, RatingsTable ratings, Demographics people, long seed) {
    int[] groups = groups(people, ratings.numUsers());
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] validation = new boolean[ratings.numUsers()];
    for (int u = 0; u < ratings.numUsers(); u++) {
      validation[u] = groups[u] >= 0 && ratings.userCount(u) > 0 && random.nextDouble() < VALIDATION_SHARE;
    }
    int validationUsers = (int) IntStream.range(0, validation.length).filter(u -> validation[u]).count();
    if (validationUsers < MIN_VALIDATION_USERS) {
      return new Result(null, false, Float.NaN, Double.NaN, Double.NaN, null, validationUsers, Map.of(),
          validationUsers + " users with known age and gender to validate on, fewer than " + MIN_VALIDATION_USERS);
    }
    RatingsTable known = ratings.subset(IntStream.range(0, ratings.size()).filter(r -> !validation[ratings.user(r)]).toArray());
    RatingsTable held = ratings.subset(IntStream.range(0, ratings.size()).filter(r -> validation[ratings.user(r)]).toArray());
    RankingEvaluator evaluator = new RankingEvaluator(ratings.subset(new int[0]), held, catalog, K);
    RankingEvaluator.Users members = members(groups);
    double[] popular = evaluator.evaluateDetailed(new PopularityRanker(known.movieCounts()), members, null).ndcg();
    Map<Float, Double> tried = new LinkedHashMap<>();
    double[] best = null;
    float bestPrior = Float.NaN;
    for (float prior : PRIORS) {
      double[] ndcg = evaluator.evaluateDetailed(count(known, groups, prior), members, null).ndcg();
      tried.put(prior, mean(ndcg));
      if (best == null || mean(ndcg) > mean(best)) {
        best = ndcg;
        bestPrior = prior;
      }
    }
    Bootstrap.Difference difference = Bootstrap.paired(best, popular, seed);
    boolean kept = difference.low() > 0;
    return new Result(count(ratings, groups, bestPrior), kept, bestPrior, mean(best), mean(popular), difference, validationUsers,
        tried, kept ? null : "not better than popularity on validation users (" + difference.verdict() + ")");
  }

  static DemographicPopularity count(RatingsTable ratings, int[] groups, float prior) {
    // The table's rows are grouped by user in user order: its own offsets and movie column serve.
    int users = ratings.numUsers();
    int[] starts = IntStream.rangeClosed(0, users).map(u -> u < users ? ratings.userStart(u) : ratings.size()).toArray();
    int[] movies = IntStream.range(0, ratings.size()).map(ratings::movie).toArray();
    return DemographicPopularity.count(ratings.numMovies(), groups, starts, movies, prior);
  }

  /**
   * Users as {@link DemographicPopularity} ranks them: no ratings, and a vector that is one-hot on
   * their group (every evaluated user must have one).
   */
  public static RankingEvaluator.Users members(int[] groups) {
    return u -> {
      float[] oneHot = new float[DemographicGroups.COUNT];
      oneHot[groups[u]] = 1;
      return new Ranker.User(new int[0], new float[0], oneHot);
    };
  }

  private static double mean(double[] values) {
    return java.util.Arrays.stream(values).average().orElse(Double.NaN);
  }
}
