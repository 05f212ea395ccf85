package dev.recsys.models.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable movie catalogue. Movie {@code i} (the dense index) has id {@link #movieId(int)};
 * ids are strictly ascending, so lookups by id are binary searches. Genres are a vocabulary of at
 * most 64 names, and each movie's genres a bit mask over it. Thread-safe.
 */
public final class Catalog {

  /** Longest genre vocabulary a mask can hold. */
  public static final int MAX_GENRES = 64;

  private final long[] movieIds;
  /** Packed ({@link PackedStrings}): a String per title made 10M objects at 10M movies. */
  private final PackedStrings titles;
  private final int[] years;
  private final long[] genreMasks;
  private final List<String> genres;
  private final Map<String, Integer> genreIndex = new HashMap<>();

  /**
   * @param movieIds strictly ascending movie ids
   * @param titles titles without year
   * @param years release years, 0 when unknown
   * @param genreMasks per movie, bit {@code g} set when it has genre {@code genres.get(g)}
   * @param genres genre vocabulary
   */
  public Catalog(long[] movieIds, String[] titles, int[] years, long[] genreMasks, List<String> genres) {
    int n = movieIds.length;
    if (titles.length != n || years.length != n || genreMasks.length != n) {
      throw new IllegalArgumentException("catalogue arrays differ in length");
    }
    for (int i = 1; i < n; i++) {
      if (movieIds[i] <= movieIds[i - 1]) {
        throw new IllegalArgumentException("movie ids must be strictly ascending at index " + i);
      }
    }
    if (genres.size() > MAX_GENRES) {
      throw new IllegalArgumentException("at most " + MAX_GENRES + " genres, got " + genres.size());
    }
    this.movieIds = movieIds.clone();
    this.titles = PackedStrings.of(titles);
    this.years = years.clone();
    this.genreMasks = genreMasks.clone();
    this.genres = List.copyOf(genres);
    for (int g = 0; g < genres.size(); g++) {
      genreIndex.put(genres.get(g).toLowerCase(Locale.ROOT), g);
    }
  }

  public int size() {
    return movieIds.length;
  }

  public long movieId(int index) {
    return movieIds[index];
  }

  /** The title without year (a new string per call). */
  public String title(int index) {
    return titles.get(index);
  }

  public int year(int index) {
    return years[index];
  }

  /** Every movie's genre bits, in index order (a copy). */
  public long[] genreMasks() {
    return genreMasks.clone();
  }

  public long genreMask(int index) {
    return genreMasks[index];
  }

  /** The dense index of a movie id, or -1. */
  public int indexOf(long movieId) {
    int i = Arrays.binarySearch(movieIds, movieId);
    return i >= 0 ? i : -1;
  }

  /** Genre vocabulary. */
  public List<String> genres() {
    return genres;
  }

  /** Index of a genre name (case-insensitive), or -1. */
  public int genreIndex(String name) {
    return genreIndex.getOrDefault(name.toLowerCase(Locale.ROOT), -1);
  }

  /** Genre names of a movie, in vocabulary order. */
  public List<String> genresOf(int index) {
    List<String> names = new ArrayList<>();
    long mask = genreMasks[index];
    for (int g = 0; g < genres.size(); g++) {
      if ((mask & (1L << g)) != 0) {
        names.add(genres.get(g));
      }
    }
    return names;
  }

  /** {@code "Toy Story (1995)"}, or the bare title when the year is unknown. */
  public String displayTitle(int index) {
    return years[index] > 0 ? title(index) + " (" + years[index] + ")" : title(index);
  }
}
