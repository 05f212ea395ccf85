package dev.recsys.trainer.evaluation;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.scoring.Diversifier;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.models.scoring.TopK;
import dev.recsys.trainer.data.RatingsTable;
import java.util.Arrays;

/**
 * Scores a ranking model the standard way: for each user with held-out movies, rank every movie they
 * did not rate in training, take the top {@code k}, and count held-out movies as relevant.
 */
public final class RankingEvaluator {

  /** Gives a user's ranker input (their training ratings and, when needed, their vector). */
  @FunctionalInterface
  public interface Users {
    Ranker.User of(int user);
  }

  /** Optional re-ranking of a candidate list (e.g. for diversity); identity when null. */
  @FunctionalInterface
  public interface Reranker {
    int[] rerank(int[] candidates, float[] scores, int k);
  }

  private final RatingsTable train;
  private final RatingsTable test;
  private final Catalog catalog;
  private final int k;
  private final int[] trainPopularity;

  public RankingEvaluator(RatingsTable train, RatingsTable test, Catalog catalog, int k) {
    this.train = train;
    this.test = test;
    this.catalog = catalog;
    this.k = k;
    this.trainPopularity = train.movieCounts();
  }

  /** Training ratings of a user in ranker form (no vector). */
  public static Ranker.User ratingsOf(RatingsTable table, int user) {
    int n = table.userCount(user);
    int[] movies = new int[n];
    float[] ratings = new float[n];
    for (int i = 0; i < n; i++) {
      movies[i] = table.movie(table.userStart(user) + i);
      ratings[i] = table.rating(table.userStart(user) + i);
    }
    return new Ranker.User(movies, ratings, null);
  }

  /**
   * Metrics and each evaluated user's NDCG (for intervals and paired comparisons).
   *
   * @param users dense indexes of the evaluated users, ascending
   * @param ndcg NDCG@k of each of them, aligned with {@code users}
   */
  public record Detailed(RankingMetrics metrics, int[] users, double[] ndcg) {}

  public RankingMetrics evaluate(Ranker ranker, Users users, Reranker reranker) {
    return evaluateDetailed(ranker, users, reranker).metrics();
  }

  /** Receives each evaluated user's final list (for list-level figures the evaluator does not compute). */
  @FunctionalInterface
  public interface Lists {
    void list(int user, int[] top);
  }

  public Detailed evaluateDetailed(Ranker ranker, Users users, Reranker reranker) {
    return evaluateDetailed(ranker, users, reranker, (u, top) -> {});
  }

  public Detailed evaluateDetailed(Ranker ranker, Users users, Reranker reranker, Lists lists) {
    int items = ranker.items();
    float[] scores = new float[items];
    boolean[] seen = new boolean[items];
    boolean[] relevant = new boolean[items];
    boolean[] recommended = new boolean[items];
    double precision = 0, recall = 0, ndcg = 0, map = 0, hits = 0, diversity = 0, novelty = 0;
    long novelItems = 0;
    long evaluated = 0;
    int numUsers = train.numUsers();
    int[] userIndex = new int[numUsers];
    double[] userNdcg = new double[numUsers];
    int candidatesWanted = reranker == null ? k : Math.max(k, 100);
    for (int u = 0; u < numUsers; u++) {
      int heldOut = test.userCount(u);
      if (heldOut == 0) {
        continue;
      }
      ranker.score(users.of(u), scores);
      for (int r = train.userStart(u); r < train.userEnd(u); r++) {
        seen[train.movie(r)] = true;
      }
      for (int r = test.userStart(u); r < test.userEnd(u); r++) {
        relevant[test.movie(r)] = true;
      }
      int[] top = TopK.select(scores, items, candidatesWanted, i -> !seen[i]);
      if (reranker != null) {
        float[] topScores = new float[top.length];
        for (int i = 0; i < top.length; i++) {
          topScores[i] = scores[top[i]];
        }
        top = reranker.rerank(top, topScores, k);
      } else if (top.length > k) {
        top = Arrays.copyOf(top, k);
      }
      lists.list(u, top);
      int userHits = 0;
      double dcg = 0;
      double ap = 0;
      for (int rank = 0; rank < top.length; rank++) {
        recommended[top[rank]] = true;
        novelty += -Math.log(Math.max(1, trainPopularity[top[rank]]) / (double) numUsers) / Math.log(2);
        novelItems++;
        if (relevant[top[rank]]) {
          userHits++;
          dcg += 1 / log2(rank + 2);
          ap += userHits / (double) (rank + 1);
        }
      }
      double idcg = 0;
      for (int rank = 0; rank < Math.min(k, heldOut); rank++) {
        idcg += 1 / log2(rank + 2);
      }
      precision += userHits / (double) k;
      recall += userHits / (double) heldOut;
      ndcg += dcg / idcg;
      userIndex[(int) evaluated] = u;
      userNdcg[(int) evaluated] = dcg / idcg;
      map += ap / Math.min(k, heldOut);
      hits += userHits > 0 ? 1 : 0;
      diversity += listDiversity(top);
      evaluated++;
      for (int r = train.userStart(u); r < train.userEnd(u); r++) {
        seen[train.movie(r)] = false;
      }
      for (int r = test.userStart(u); r < test.userEnd(u); r++) {
        relevant[test.movie(r)] = false;
      }
    }
    int covered = 0;
    for (boolean b : recommended) {
      covered += b ? 1 : 0;
    }
    double n = Math.max(1, evaluated);
    double p = precision / n;
    double r = recall / n;
    RankingMetrics metrics = new RankingMetrics(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), ndcg / n, map / n, hits / n,
        covered / (double) items, diversity / n, novelItems == 0 ? 0 : novelty / novelItems, evaluated);
    return new Detailed(metrics, Arrays.copyOf(userIndex, (int) evaluated), Arrays.copyOf(userNdcg, (int) evaluated));
  }

  private double listDiversity(int[] top) {
    if (top.length < 2) {
      return 0;
    }
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < top.length; a++) {
      for (int b = a + 1; b < top.length; b++) {
        sum += 1 - Diversifier.jaccard(catalog.genreMask(top[a]), catalog.genreMask(top[b]));
        pairs++;
      }
    }
    return sum / pairs;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
