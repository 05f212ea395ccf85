package dev.recsys.trainer.data;

import java.io.IOException;

/** The file layouts of the MovieLens releases. */
public enum Layout {
  /** ml-latest-small, ml-latest, ml-20m, ml-25m: {@code ratings.csv}, {@code movies.csv}. */
  CSV("ratings.csv", "movies.csv", null, new byte[] {','}),
  /** ml-100k: tab-separated {@code u.data}, pipe-separated {@code u.item} and {@code u.user}. */
  ML100K("u.data", "u.item", "u.user", new byte[] {'\t'}),
  /** ml-1m and ml-10m: {@code ::}-separated {@code ratings.dat}, {@code movies.dat}, {@code users.dat}. */
  DAT("ratings.dat", "movies.dat", "users.dat", new byte[] {':', ':'});

  private final String ratingsFile;
  private final String moviesFile;
  private final String usersFile;
  private final byte[] ratingSeparator;

  Layout(String ratingsFile, String moviesFile, String usersFile, byte[] ratingSeparator) {
    this.ratingsFile = ratingsFile;
    this.moviesFile = moviesFile;
    this.usersFile = usersFile;
    this.ratingSeparator = ratingSeparator;
  }

  public String ratingsFile() {
    return ratingsFile;
  }

  public String moviesFile() {
    return moviesFile;
  }

  /** The demographics file, or null when the layout has none. */
  public String usersFile() {
    return usersFile;
  }

  /** The field separator of the rating file. */
  public byte[] ratingSeparator() {
    return ratingSeparator.clone();
  }

  /**
   * The layout whose movie file the source holds (for a catalogue read apart from its ratings, e.g.
   * when the ratings are a Parquet table); the file names differ between layouts.
   */
  public static Layout ofMovies(DataSource source) throws IOException {
    for (Layout layout : values()) {
      if (source.has(layout.moviesFile)) {
        return layout;
      }
    }
    throw new IOException(source.path() + " holds no MovieLens movie file (expected movies.csv, u.item or movies.dat)");
  }

  /** The layout whose ratings and movie files the source holds. */
  public static Layout detect(DataSource source) throws IOException {
    for (Layout layout : values()) {
      if (source.has(layout.ratingsFile) && source.has(layout.moviesFile)) {
        return layout;
      }
    }
    throw new IOException(
        source.path() + " holds no known MovieLens layout (expected ratings.csv + movies.csv, "
            + "u.data + u.item, or ratings.dat + movies.dat)");
  }
}
