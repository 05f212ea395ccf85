package dev.recsys.trainer.judge;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.Diversifier;
import java.util.Arrays;

/**
 * Judges a similar-movies table without human labels. Three views, each over the first {@code k}
 * neighbours of a movie (fewer when the table holds fewer):
 *
 * <ul>
 *   <li><b>Franchise hits</b>: a sequel is the least arguable "similar movie", so a good table
 *       should put a franchise movie's siblings ({@link FranchiseGroups}) among its neighbours.
 *   <li><b>Genre coherence</b>: neighbours should mostly share the query's genres. Too high is no
 *       virtue either (a genre filter would score 1), so read it beside the franchise figures.
 *   <li><b>Popularity bias</b>: collaborative similarities drift towards blockbusters; this says
 *       how much more popular the neighbours are than the movie asked about.
 * </ul>
 *
 * <p>Deterministic and free of I/O; thread-safe (no state).
 */
public final class SimilarityJudge {

  /**
   * What {@link #judge} found.
   *
   * @param k neighbours looked at per movie
   * @param franchiseHitRate share of judged franchise movies with at least one sibling among their
   *     top {@code k}; NaN when none was judged
   * @param franchiseRecall mean over judged franchise movies of the siblings found in the top
   *     {@code k}, divided by {@code min(k, rated siblings)} and capped at 1; NaN when none was
   *     judged
   * @param franchiseMovies franchise movies judged: those with at least one sibling rated in
   *     training ({@code popularity >= 1}), since a table cannot be blamed for missing a sibling it
   *     never saw
   * @param franchiseGroups groups with at least one judged movie
   * @param genreCoherence mean over query movies (those with at least one neighbour) of the mean
   *     genre Jaccard between the query and each of its top {@code k}; NaN without queries
   * @param popularityBiasMean mean over query movies of {@code log10((1 + mean neighbour
   *     popularity) / (1 + query popularity))}: positive when neighbours are more popular than the
   *     query; NaN without queries
   * @param popularityBiasMedian median of the same per-query figure, less swayed by the long tail
   *     of unrated queries; NaN without queries
   * @param queries movies with at least one neighbour
   */
  public record Report(
      int k,
      double franchiseHitRate,
      double franchiseRecall,
      int franchiseMovies,
      int franchiseGroups,
      double genreCoherence,
      double popularityBiasMean,
      double popularityBiasMedian,
      int queries) {}

  private SimilarityJudge() {}

  /**
   * Judges {@code table} against the franchises found in {@code catalog}.
   *
   * @param popularity per movie, its number of training ratings
   * @param k neighbours looked at per movie, at least 1
   */
  public static Report judge(Catalog catalog, ItemNeighbors table, int[] popularity, int k) {
    return judge(catalog, FranchiseGroups.of(catalog), table, popularity, k);
  }

  /**
   * As {@link #judge(Catalog, ItemNeighbors, int[], int)} with franchises already found, so that
   * several candidate tables can be judged against one set of groups.
   */
  public static Report judge(Catalog catalog, FranchiseGroups groups, ItemNeighbors table, int[] popularity, int k) {
    int n = catalog.size();
    if (table.items() != n || popularity.length != n) {
      throw new IllegalArgumentException(
          "catalogue has " + n + " movies, table " + table.items() + ", popularity " + popularity.length);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    // Franchise figures.
    int judged = 0;
    int hits = 0;
    double recallSum = 0;
    boolean[] groupJudged = new boolean[groups.size()];
    for (int m = 0; m < n; m++) {
      int g = groups.groupOf(m);
      if (g < 0) {
        continue;
      }
      int ratedSiblings = 0;
      for (int s : groups.members(g)) {
        ratedSiblings += s != m && popularity[s] >= 1 ? 1 : 0;
      }
      if (ratedSiblings == 0) {
        continue;
      }
      // A sibling found counts even if unrated: a table built from genres may rightly hold it.
      int found = 0;
      for (int j = table.start(m); j < end(table, m, k); j++) {
        int nb = table.neighbor(j);
        found += nb != m && groups.groupOf(nb) == g ? 1 : 0;
      }
      int cap = Math.min(k, ratedSiblings);
      judged++;
      hits += found > 0 ? 1 : 0;
      recallSum += (double) Math.min(found, cap) / cap;
      groupJudged[g] = true;
    }
    int groupsJudged = 0;
    for (boolean b : groupJudged) {
      groupsJudged += b ? 1 : 0;
    }
    // Genre and popularity figures, over every movie the table answers for.
    double coherenceSum = 0;
    double[] bias = new double[n];
    int queries = 0;
    for (int m = 0; m < n; m++) {
      int from = table.start(m);
      int to = end(table, m, k);
      if (to == from) {
        continue;
      }
      double jaccard = 0;
      double neighbourPopularity = 0;
      for (int j = from; j < to; j++) {
        int nb = table.neighbor(j);
        jaccard += Diversifier.jaccard(catalog.genreMask(m), catalog.genreMask(nb));
        neighbourPopularity += popularity[nb];
      }
      coherenceSum += jaccard / (to - from);
      // The +1 keeps unrated movies finite; log10 makes 10x more popular read as +1.
      bias[queries++] = Math.log10((1 + neighbourPopularity / (to - from)) / (1 + popularity[m]));
    }
    double nan = Double.NaN;
    return new Report(
        k,
        judged == 0 ? nan : (double) hits / judged,
        judged == 0 ? nan : recallSum / judged,
        judged,
        groupsJudged,
        queries == 0 ? nan : coherenceSum / queries,
        queries == 0 ? nan : Arrays.stream(bias, 0, queries).sum() / queries,
        median(bias, queries),
        queries);
  }

  /**
   * Up to {@code max} franchises found in {@code catalog}, in catalogue order, each as {@code
   * "Toy Story (1995) | Toy Story 2 (1999) | Toy Story 3 (2010)"}, so a report can show what the
   * franchise figures rest on.
   */
  public static String[] franchiseExamples(Catalog catalog, int max) {
    FranchiseGroups groups = FranchiseGroups.of(catalog);
    String[] out = new String[Math.max(0, Math.min(max, groups.size()))];
    for (int g = 0; g < out.length; g++) {
      out[g] = groups.describe(catalog, g);
    }
    return out;
  }

  private static int end(ItemNeighbors table, int m, int k) {
    return Math.min(table.end(m), table.start(m) + k);
  }

  private static double median(double[] values, int count) {
    if (count == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
  }
}
