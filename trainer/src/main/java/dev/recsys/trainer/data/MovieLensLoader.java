package dev.recsys.trainer.data;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.trainer.data.DataQuality.Issue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Loads a MovieLens data set from a folder or zip of any official layout: movies into a
 * {@link Catalog}, ratings into a {@link RatingsTable} with dense indexes, duplicates resolved (latest
 * rating kept), ratings of unknown movies dropped, and every such decision counted.
 */
public final class MovieLensLoader {

  /** Makes the progress display of a loading step. */
  @FunctionalInterface
  public interface ProgressFactory {
    Progress start(String task, long totalBytes);
  }

  private final ProgressFactory progress;
  private final boolean reportQuality;

  public MovieLensLoader(ProgressFactory progress) {
    this(progress, false);
  }

  private MovieLensLoader(ProgressFactory progress, boolean reportQuality) {
    this.progress = progress;
    this.reportQuality = reportQuality;
  }

  /** A loader showing progress on standard error. */
  public static MovieLensLoader withConsoleProgress() {
    return new MovieLensLoader((task, total) -> Progress.start(task, total, Progress.Unit.BYTES));
  }

  /**
   * A loader showing progress on standard error and, once a data set is loaded, what cleaning
   * dropped or fixed there (the commands that train or evaluate on it: nothing is dropped unsaid).
   */
  public static MovieLensLoader withConsoleReport() {
    return new MovieLensLoader((task, total) -> Progress.start(task, total, Progress.Unit.BYTES), true);
  }

  /** A loader that prints nothing. */
  public static MovieLensLoader quiet() {
    return new MovieLensLoader((task, total) -> Progress.silent(task));
  }

  /** Loads the data set at {@code path} (folder or zip). */
  public MovieLensData load(Path path) throws IOException {
    try (DataSource source = DataSource.open(path)) {
      return load(source);
    }
  }

  /** Loads the main rating file of a source. */
  public MovieLensData load(DataSource source) throws IOException {
    Layout layout = Layout.detect(source);
    DataQuality quality = new DataQuality();
    Catalog catalog = new MovieFileParser(quality).parse(source, layout);
    RawRatings raw;
    String file = layout.ratingsFile();
    try (Progress p = progress.start("read " + source.name() + "/" + file, source.size(file))) {
      raw = new RatingFileParser(quality).parse(source, file, layout, p);
    }
    long[] userIds = distinctUsers(raw, catalog, quality);
    RatingsTable table = assemble(raw, catalog, userIds, quality);
    Optional<Demographics> demographics =
        layout.usersFile() != null && source.has(layout.usersFile())
            ? Optional.of(readDemographics(source, layout, userIds, quality))
            : Optional.empty();
    if (reportQuality) {
      System.err.print(source.name() + ": " + quality.table());
    }
    return new MovieLensData(
        source.name(), source.sha256(file), layout, catalog, table, userIds, quality, demographics);
  }

  /**
   * The catalogue alone (movies and genres), cleaned with the same rules as in {@link #load}, with
   * what cleaning did recorded in {@code quality}: for a trainer that reads the ratings elsewhere.
   */
  public static Catalog catalog(DataSource source, Layout layout, DataQuality quality) throws IOException {
    return new MovieFileParser(quality).parse(source, layout);
  }

  /**
   * Reads another rating file of the same source (e.g. ml-100k's {@code u1.base}) and returns the
   * rows of {@code data.ratings()} it names, as row indexes ascending. Lines naming a pair the main
   * file does not hold are counted in the returned quality report.
   */
  public int[] rowsOf(Path path, String file, MovieLensData data, DataQuality quality) throws IOException {
    try (DataSource source = DataSource.open(path)) {
      RawRatings raw;
      try (Progress p = progress.start("read " + source.name() + "/" + file, source.size(file))) {
        raw = new RatingFileParser(quality).parse(source, file, data.layout(), p);
      }
      RatingsTable table = data.ratings();
      int[] rows = new int[raw.size];
      int n = 0;
      for (int i = 0; i < raw.size; i++) {
        int user = data.userIndex(raw.users[i]);
        int movie = data.catalog().indexOf(raw.movies[i]);
        int row = user < 0 || movie < 0 ? -1 : findRow(table, user, movie);
        if (row < 0) {
          quality.record(Issue.UNKNOWN_MOVIE, file + ": user " + raw.users[i] + " movie " + raw.movies[i] + " is not in the main rating file");
        } else {
          rows[n++] = row;
        }
      }
      rows = Arrays.copyOf(rows, n);
      Arrays.sort(rows);
      int unique = 0;
      for (int i = 0; i < rows.length; i++) {
        if (i == 0 || rows[i] != rows[i - 1]) {
          rows[unique++] = rows[i];
        }
      }
      return Arrays.copyOf(rows, unique);
    }
  }

  private static int findRow(RatingsTable table, int user, int movie) {
    int lo = table.userStart(user);
    int hi = table.userEnd(user) - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int m = table.movie(mid);
      if (m < movie) {
        lo = mid + 1;
      } else if (m > movie) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * Replaces raw movie ids by catalogue indexes (-1 for unknown movies, counted) and returns the
   * sorted distinct raw user ids of the rows kept.
   */
  private static long[] distinctUsers(RawRatings raw, Catalog catalog, DataQuality quality) {
    long[] catalogIds = new long[catalog.size()];
    for (int i = 0; i < catalogIds.length; i++) {
      catalogIds[i] = catalog.movieId(i);
    }
    DenseIndex movies = DenseIndex.ofSorted(catalogIds);
    long maxUser = 0;
    for (int i = 0; i < raw.size; i++) {
      int m = movies.indexOf(raw.movies[i]);
      if (m < 0) {
        long user = raw.users[i];
        long movie = raw.movies[i];
        quality.record(Issue.UNKNOWN_MOVIE, () -> "user " + user + " rated movie " + movie);
      }
      raw.movies[i] = m;
      if (m >= 0) {
        maxUser = Math.max(maxUser, raw.users[i]);
      }
    }
    // Distinct users by sorting a copy of the kept ids: no hash map, no boxing.
    long[] ids = new long[raw.size];
    int n = 0;
    for (int i = 0; i < raw.size; i++) {
      if (raw.movies[i] >= 0) {
        ids[n++] = raw.users[i];
      }
    }
    Arrays.sort(ids, 0, n);
    int unique = 0;
    for (int i = 0; i < n; i++) {
      if (unique == 0 || ids[i] != ids[unique - 1]) {
        ids[unique++] = ids[i];
      }
    }
    return Arrays.copyOf(ids, unique);
  }

  /**
   * Counting sort by user, then a sort by movie within each user, then duplicate removal (the
   * latest rating of a pair wins; on equal times the later line).
   */
  private static RatingsTable assemble(RawRatings raw, Catalog catalog, long[] userIds, DataQuality quality) {
    DenseIndex users = DenseIndex.ofSorted(userIds);
    int numUsers = userIds.length;
    int[] starts = new int[numUsers + 1];
    int[] userOf = new int[raw.size];
    for (int i = 0; i < raw.size; i++) {
      int u = raw.movies[i] >= 0 ? users.indexOf(raw.users[i]) : -1;
      userOf[i] = u;
      if (u >= 0) {
        starts[u + 1]++;
      }
    }
    for (int u = 0; u < numUsers; u++) {
      starts[u + 1] += starts[u];
    }
    int kept = starts[numUsers];
    int[] order = new int[kept];
    int[] fill = Arrays.copyOf(starts, numUsers);
    for (int i = 0; i < raw.size; i++) {
      if (userOf[i] >= 0) {
        order[fill[userOf[i]]++] = i;
      }
    }
    int[] outUsers = new int[kept];
    int[] outMovies = new int[kept];
    float[] outRatings = new float[kept];
    int[] outTimes = new int[kept];
    long[] keys = new long[16];
    int n = 0;
    for (int u = 0; u < numUsers; u++) {
      int from = starts[u];
      int len = starts[u + 1] - from;
      if (keys.length < len) {
        keys = new long[Math.max(len, keys.length * 2)];
      }
      for (int j = 0; j < len; j++) {
        int row = order[from + j];
        // Movie in the high bits, input position in the low bits: sorting gives movie order with
        // ties in file order, so "last of equal timestamps" is the last in the run.
        keys[j] = ((long) (int) raw.movies[row] << 32) | (from + j);
      }
      Arrays.sort(keys, 0, len);
      for (int j = 0; j < len; ) {
        int movie = (int) (keys[j] >>> 32);
        int best = order[(int) keys[j]];
        int k = j + 1;
        while (k < len && (int) (keys[k] >>> 32) == movie) {
          int row = order[(int) keys[k]];
          long user = raw.users[row];
          quality.record(Issue.DUPLICATE_RATING, () -> "user " + user + " movie " + catalog.movieId(movie));
          if (Integer.compareUnsigned(raw.timestamps[row], raw.timestamps[best]) >= 0) {
            best = row;
          }
          k++;
        }
        outUsers[n] = u;
        outMovies[n] = movie;
        outRatings[n] = raw.ratings[best];
        outTimes[n] = raw.timestamps[best];
        n++;
        j = k;
      }
    }
    if (n < kept) {
      outUsers = Arrays.copyOf(outUsers, n);
      outMovies = Arrays.copyOf(outMovies, n);
      outRatings = Arrays.copyOf(outRatings, n);
      outTimes = Arrays.copyOf(outTimes, n);
    }
    return new RatingsTable(numUsers, catalog.size(), outUsers, outMovies, outRatings, outTimes);
  }

  private static Demographics readDemographics(DataSource source, Layout layout, long[] userIds, DataQuality quality)
      throws IOException {
    int n = userIds.length;
    int[] ages = new int[n];
    char[] genders = new char[n];
    String[] occupations = new String[n];
    Arrays.fill(ages, -1);
    String file = layout.usersFile();
    try (InputStream in = source.open(file)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r?\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        // u.user: id|age|gender|occupation|zip ; users.dat: id::gender::age::occupation::zip
        String[] f = layout == Layout.ML100K ? lines[i].split("\\|", -1) : lines[i].split("::", -1);
        if (f.length != 5) {
          quality.record(Issue.MALFORMED_USER_LINE, file + ":" + (i + 1) + ": " + lines[i]);
          continue;
        }
        try {
          int u = Arrays.binarySearch(userIds, Long.parseLong(f[0].strip()));
          if (u < 0) {
            continue;
          }
          String gender = layout == Layout.ML100K ? f[2] : f[1];
          String age = layout == Layout.ML100K ? f[1] : f[2];
          ages[u] = Integer.parseInt(age.strip());
          genders[u] = gender.strip().isEmpty() ? 0 : Character.toUpperCase(gender.strip().charAt(0));
          occupations[u] = f[3].strip();
        } catch (NumberFormatException e) {
          quality.record(Issue.MALFORMED_USER_LINE, file + ":" + (i + 1) + ": " + lines[i]);
        }
      }
    }
    return new Demographics(ages, genders, occupations);
  }
}
