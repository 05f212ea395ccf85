package dev.recsys.trainer.data;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.catalog.Titles;
import dev.recsys.trainer.data.DataQuality.Issue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the movie file of any layout into a {@link Catalog}: titles split from their year, genres
 * into a vocabulary sorted by name, every odd line counted in the {@link DataQuality}.
 */
final class MovieFileParser {

  /** ml-100k's genre order, used when its u.genre file is missing. */
  static final List<String> ML100K_GENRES =
      List.of("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
          "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
          "Sci-Fi", "Thriller", "War", "Western");

  private static final Set<String> NO_GENRE = Set.of("(no genres listed)", "unknown", "");

  private record Movie(String title, int year, Set<String> genres) {}

  private final DataQuality quality;
  private final TreeMap<Long, Movie> movies = new TreeMap<>();

  MovieFileParser(DataQuality quality) {
    this.quality = quality;
  }

  Catalog parse(DataSource source, Layout layout) throws IOException {
    List<String> ml100kGenres = layout == Layout.ML100K ? ml100kGenres(source) : List.of();
    String file = layout.moviesFile();
    try (InputStream in = source.open(file)) {
      LineReader lines = new LineReader(in);
      while (lines.next()) {
        if (lines.end() == lines.start()) {
          continue;
        }
        TextDecoding.Decoded decoded = TextDecoding.decode(lines.buffer(), lines.start(), lines.end());
        String where = file + ":" + lines.lineNumber() + ": " + decoded.text();
        List<String> fields =
            switch (layout) {
              case CSV -> CsvLine.split(decoded.text());
              case ML100K -> Arrays.asList(decoded.text().split("\\|", -1));
              case DAT -> Arrays.asList(decoded.text().split("::", -1));
            };
        if (layout == Layout.CSV && lines.lineNumber() == 1 && fields != null && !fields.isEmpty()
            && fields.getFirst().equalsIgnoreCase("movieId")) {
          quality.record(Issue.HEADER_LINE, where);
          continue;
        }
        int expected = layout == Layout.ML100K ? 5 + ml100kGenres.size() : 3;
        if (fields == null || fields.size() != expected) {
          quality.record(Issue.MALFORMED_MOVIE_LINE, where);
          continue;
        }
        long id = parseId(fields.getFirst());
        if (id <= 0) {
          quality.record(Issue.MALFORMED_MOVIE_LINE, where);
          continue;
        }
        Set<String> genres =
            layout == Layout.ML100K ? flags(fields, ml100kGenres) : split(fields.get(2));
        Titles.Parsed title = Titles.parse(fields.get(1));
        int year = title.year();
        if (year == 0 && layout == Layout.ML100K) {
          year = releaseYear(fields.get(2));
        }
        if (movies.containsKey(id)) {
          quality.record(Issue.DUPLICATE_MOVIE, where);
          continue;
        }
        if (decoded.fellBack()) {
          quality.record(Issue.TITLE_ENCODING_FIXED, where);
        }
        if (genres.isEmpty()) {
          quality.record(Issue.MOVIE_WITHOUT_GENRES, where);
        }
        if (year == 0) {
          quality.record(Issue.MOVIE_WITHOUT_YEAR, where);
        }
        movies.put(id, new Movie(title.title(), year, genres));
      }
    }
    return toCatalog(file);
  }

  private Catalog toCatalog(String file) throws IOException {
    TreeSet<String> vocabulary = new TreeSet<>();
    movies.values().forEach(m -> vocabulary.addAll(m.genres()));
    List<String> genres = new ArrayList<>(vocabulary);
    if (genres.size() > Catalog.MAX_GENRES) {
      // Each movie's genres are one bit each of a 64-bit mask (filters test them in one operation).
      throw new IOException(file + " names " + genres.size() + " distinct genres; a catalogue holds at most " + Catalog.MAX_GENRES
          + " (the first: " + String.join(", ", genres.subList(0, 5)) + ", ...)");
    }
    int n = movies.size();
    long[] ids = new long[n];
    String[] titles = new String[n];
    int[] years = new int[n];
    long[] masks = new long[n];
    int i = 0;
    for (var e : movies.entrySet()) {
      ids[i] = e.getKey();
      titles[i] = e.getValue().title();
      years[i] = e.getValue().year();
      for (String g : e.getValue().genres()) {
        masks[i] |= 1L << genres.indexOf(g);
      }
      i++;
    }
    return new Catalog(ids, titles, years, masks, genres);
  }

  private static long parseId(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Set<String> split(String genres) {
    Set<String> set = new LinkedHashSet<>();
    for (String g : genres.split("\\|")) {
      String name = g.strip();
      if (!NO_GENRE.contains(name.toLowerCase(Locale.ROOT)) && !NO_GENRE.contains(name)) {
        set.add(name);
      }
    }
    return set;
  }

  private static Set<String> flags(List<String> fields, List<String> names) {
    Set<String> set = new LinkedHashSet<>();
    for (int g = 0; g < names.size(); g++) {
      if (fields.get(5 + g).strip().equals("1") && !NO_GENRE.contains(names.get(g))) {
        set.add(names.get(g));
      }
    }
    return set;
  }

  private static int releaseYear(String date) {
    // ml-100k release dates look like "01-Jan-1995".
    String s = date.strip();
    if (s.length() >= 4 && s.substring(s.length() - 4).chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(s.substring(s.length() - 4));
    }
    return 0;
  }

  private static List<String> ml100kGenres(DataSource source) throws IOException {
    if (!source.has("u.genre")) {
      return ML100K_GENRES;
    }
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    try (InputStream in = source.open("u.genre")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
        String[] parts = line.strip().split("\\|");
        if (parts.length == 2) {
          byIndex.put(Integer.parseInt(parts[1].strip()), parts[0].strip());
        }
      }
    } catch (NumberFormatException e) {
      throw new IOException("u.genre is malformed: " + e.getMessage(), e);
    }
    return byIndex.isEmpty() ? ML100K_GENRES : List.copyOf(byIndex.values());
  }
}
