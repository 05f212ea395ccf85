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
    this(train, test, catalog, k, train.movieCounts());
  }

  /**
   * @param popularity each movie's rating count in the data the models learnt from, for novelty:
   *     where {@code train} holds only the profiles the evaluated users bring (new users), their few
   *     ratings would make every movie equally unknown
   */
  public RankingEvaluator(RatingsTable train, RatingsTable test, Catalog catalog, int k, int[] popularity) {
    this.train = train;
    this.test = test;
    this.catalog = catalog;
    this.k = k;
    this.trainPopularity = popularity;
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
    int numUsers = train.numUsers();
    int[] evaluatedUsers = java.util.stream.IntStream.range(0, numUsers).filter(u -> test.userCount(u) > 0).toArray();
    int n = evaluatedUsers.length;
    int[][] tops = new int[n][];
    double[] userNdcg = new double[n];
    double[] userAp = new double[n];
    int[] userHits = new int[n];
    int candidatesWanted = reranker == null ? k : Math.max(k, 100);
    // Users are ranked in parallel (rankers are thread-safe; each chunk has its own buffers); the
    // figures are then summed in user order, so they do not depend on the thread count.
    int chunks = Math.max(1, Math.min(n, 4 * Runtime.getRuntime().availableProcessors()));
    java.util.stream.IntStream.range(0, chunks).parallel().forEach(chunk -> {
      float[] scores = new float[items];
      boolean[] seen = new boolean[items];
      boolean[] relevant = new boolean[items];
      for (int e = chunk; e < n; e += chunks) {
        int u = evaluatedUsers[e];
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
        int hits = 0;
        double dcg = 0;
        double ap = 0;
        for (int rank = 0; rank < top.length; rank++) {
          if (relevant[top[rank]]) {
            hits++;
            dcg += 1 / log2(rank + 2);
            ap += hits / (double) (rank + 1);
          }
        }
        int heldOut = test.userCount(u);
        double idcg = 0;
        for (int rank = 0; rank < Math.min(k, heldOut); rank++) {
          idcg += 1 / log2(rank + 2);
        }
        tops[e] = top;
        userHits[e] = hits;
        userNdcg[e] = dcg / idcg;
        userAp[e] = ap / Math.min(k, heldOut);
        for (int r = train.userStart(u); r < train.userEnd(u); r++) {
          seen[train.movie(r)] = false;
        }
        for (int r = test.userStart(u); r < test.userEnd(u); r++) {
          relevant[test.movie(r)] = false;
        }
      }
    });
    boolean[] recommended = new boolean[items];
    double precision = 0, recall = 0, ndcg = 0, map = 0, hitRate = 0, diversity = 0, novelty = 0;
    long novelItems = 0;
    for (int e = 0; e < n; e++) {
      int u = evaluatedUsers[e];
      int[] top = tops[e];
      lists.list(u, top);
      for (int m : top) {
        recommended[m] = true;
        novelty += -Math.log(Math.max(1, trainPopularity[m]) / (double) numUsers) / Math.log(2);
        novelItems++;
      }
      precision += userHits[e] / (double) k;
      recall += userHits[e] / (double) test.userCount(u);
      ndcg += userNdcg[e];
      map += userAp[e];
      hitRate += userHits[e] > 0 ? 1 : 0;
      diversity += listDiversity(top);
    }
    int covered = 0;
    for (boolean b : recommended) {
      covered += b ? 1 : 0;
    }
    double count = Math.max(1, n);
    double p = precision / count;
    double r = recall / count;
    RankingMetrics metrics = new RankingMetrics(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), ndcg / count, map / count, hitRate / count,
        covered / (double) items, diversity / count, novelItems == 0 ? 0 : novelty / novelItems, n);
    return new Detailed(metrics, evaluatedUsers, userNdcg);
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
