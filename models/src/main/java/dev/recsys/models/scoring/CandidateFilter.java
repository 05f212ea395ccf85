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
   * TopK.Filter#ALL} when nothing is filtered, which lets the graph search run unfiltered; otherwise
   * an {@link Allowed}, whose parts a device can apply as a mask.
   */
  public TopK.Filter allowing(long genreMask, int[] rated, int from, int to, int[] excluded) {
    boolean skipRated = rated != null && to > from;
    int[] sorted = excluded.clone();
    Arrays.sort(sorted);
    if (!skipRated && sorted.length == 0 && genreMask == 0) {
      return TopK.Filter.ALL;
    }
    return skipRated ? new Allowed(genreMasks, genreMask, rated, from, to, sorted) : new Allowed(genreMasks, genreMask, null, 0, 0, sorted);
  }

  /**
   * One request's filter, kept in parts (not only as a test per movie) so that a scorer that never
   * calls {@link #accept} per movie, a device scoring a batch, can apply the same rule as a mask.
   *
   * @param catalogueGenres every movie's genre bits
   * @param genreMask the genres asked for; 0 for any
   * @param rated the user's rated movies are {@code rated[from, to)}, ascending; null for none skipped
   * @param excluded movies explicitly excluded, ascending
   */
  public record Allowed(long[] catalogueGenres, long genreMask, int[] rated, int from, int to, int[] excluded) implements TopK.Filter {

    @Override
    public boolean accept(int m) {
      return (genreMask == 0 || (catalogueGenres[m] & genreMask) != 0)
          && (rated == null || Arrays.binarySearch(rated, from, to, m) < 0)
          && (excluded.length == 0 || Arrays.binarySearch(excluded, m) < 0);
    }

    /** Every movie taken out by exclusion, rated or explicit (may repeat one in both), any order. */
    public int[] removed() {
      int ratedCount = rated == null ? 0 : to - from;
      int[] out = new int[ratedCount + excluded.length];
      if (ratedCount > 0) {
        System.arraycopy(rated, from, out, 0, ratedCount);
      }
      System.arraycopy(excluded, 0, out, ratedCount, excluded.length);
      return out;
    }
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
