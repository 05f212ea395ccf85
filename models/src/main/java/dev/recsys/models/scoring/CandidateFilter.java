package dev.recsys.models.scoring;

import java.util.Arrays;

/**
 * A request's filters as one test per candidate movie, for selections that never see every score
 * (the fused kernel, the graph index): the genres asked for, not already rated, not explicitly
 * excluded. Also bounds the share of the catalogue a genre filter leaves, from which the graph index
 * decides whether walking the graph pays. One per catalogue; immutable and thread-safe.
 */
public final class CandidateFilter {

  private final long[] genreMasks;
  private final long[] moviesPerGenre = new long[Long.SIZE];

  /** @param genreMasks every movie's genre bits */
  public CandidateFilter(long[] genreMasks) {
    this.genreMasks = genreMasks;
    for (long mask : genreMasks) {
      for (long bits = mask; bits != 0; bits &= bits - 1) {
        moviesPerGenre[Long.numberOfTrailingZeros(bits)]++;
      }
    }
  }

  /**
   * Movies in any genre of {@code genreMask} (any movie when 0), outside {@code rated[from, to)}
   * (ascending; null for none) and outside {@code excluded} (any order; copied). {@link
   * TopK.Filter#ALL} when nothing is filtered, which lets the graph search run unfiltered.
   */
  public TopK.Filter allowing(long genreMask, int[] rated, int from, int to, int[] excluded) {
    boolean skipRated = rated != null && to > from;
    int[] sorted = excluded.clone();
    Arrays.sort(sorted);
    if (!skipRated && sorted.length == 0 && genreMask == 0) {
      return TopK.Filter.ALL;
    }
    long[] masks = genreMasks;
    return m -> (genreMask == 0 || (masks[m] & genreMask) != 0)
        && (!skipRated || Arrays.binarySearch(rated, from, to, m) < 0)
        && (sorted.length == 0 || Arrays.binarySearch(sorted, m) < 0);
  }

  /** An upper bound of the share of the catalogue in any of {@code genreMask}'s genres (1 for none). */
  public double acceptedShare(long genreMask) {
    if (genreMask == 0) {
      return 1;
    }
    long movies = 0;
    for (long bits = genreMask; bits != 0; bits &= bits - 1) {
      movies += moviesPerGenre[Long.numberOfTrailingZeros(bits)];
    }
    return Math.min(1, movies / (double) Math.max(1, genreMasks.length));
  }
}
