package dev.recsys.models.bundle;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.catalog.PackedStrings;
import dev.recsys.models.catalog.TitleIndex;
import dev.recsys.models.console.Messages;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.profiles.Profiles;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.scoring.LinearSolver;
import dev.recsys.models.segments.Assignments;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a load would otherwise derive from a version's artifacts every time, computed once by the
 * trainer and published as {@link Artifacts#PRECOMPUTED}: the title index's keys, the segment of
 * every user and the cluster of every movie, and the Gram matrices of fold-in and of the implicit
 * segment space (about half of a load's CPU on ml-latest-small when rebuilt; docs/benchmarks.md §4).
 *
 * <p>A cache, never trusted: {@link #resolve} checks each published table against the artifacts it
 * derives from (shapes and ranges in full; the title keys and labels of {@value #SAMPLE} evenly
 * spread movies and users recomputed and compared; the Gram matrices by Freivalds' random-projection
 * test) and rebuilds any table that is missing, fails a check, or was made under other title-key
 * rules, saying why. A stale or tampered table therefore costs load time, never a wrong answer or a
 * refused version; versions published before these tables existed load as they did.
 *
 * @param titleKeys every title's search keys
 * @param assignments segment of every user, cluster of every movie
 * @param foldInGram {@link FoldIn#gramOf} of the ranking model
 * @param implicitGram the implicit segment space's {@code α₀ HᵀH}, or null when the version has none
 */
public record PrecomputedTables(TitleIndex.Keys titleKeys, Assignments assignments, double[] foldInGram, double[] implicitGram) {

  /** Movies and users whose published keys and labels are recomputed and compared at load. */
  static final int SAMPLE = 64;

  static final String TITLE_KEY_FORMAT = "title_key_format";
  static final String TITLE_KEY_BYTES = "title_key_bytes";
  static final String TITLE_KEY_ENDS = "title_key_ends";
  static final String TITLE_KEY_MOVIES = "title_key_movies";
  static final String USER_SEGMENTS = "user_segments";
  static final String MOVIE_CLUSTERS = "movie_clusters";
  static final String FOLD_IN_GRAM = "fold_in_gram";
  static final String IMPLICIT_GRAM = "implicit_gram";

  /**
   * The artifacts the tables derive from.
   *
   * @param ranking the top-N embedding model (fold-in's Gram matrix)
   * @param mf the rating factorisation (segment and cluster labels)
   */
  public record Sources(Catalog catalog, EmbeddingTables ranking, Segmentation segmentation, EmbeddingTables mf, Profiles profiles) {}

  /** Every table derived from {@code s}: what a load does when none are published. */
  public static PrecomputedTables compute(Sources s) {
    return resolve(null, s, new java.util.ArrayList<>());
  }

  /** Writes the tables as one tensor file, as {@link #resolve} reads it. */
  public void write(Path file) throws IOException {
    int dim = (int) Math.round(Math.sqrt(foldInGram.length));
    TensorFile.Writer w = new TensorFile.Writer()
        .metadata(TITLE_KEY_FORMAT, Integer.toString(TitleIndex.KEY_FORMAT))
        .u8(TITLE_KEY_BYTES, titleKeys.keys().utf8())
        .ints(TITLE_KEY_ENDS, titleKeys.keys().ends())
        .ints(TITLE_KEY_MOVIES, titleKeys.movies())
        .ints(USER_SEGMENTS, assignments.userSegments())
        .ints(MOVIE_CLUSTERS, assignments.movieClusters())
        .doubles(FOLD_IN_GRAM, foldInGram, dim, dim);
    if (implicitGram != null) {
      int implicitDim = (int) Math.round(Math.sqrt(implicitGram.length));
      w.doubles(IMPLICIT_GRAM, implicitGram, implicitDim, implicitDim);
    }
    w.write(file);
  }

  /**
   * The tables of a version: each taken from {@code file} when it is there and passes its checks,
   * otherwise computed from {@code s}.
   *
   * @param file the published tables, or null when the version has none
   * @param rebuilt receives one line per table that was computed instead of taken, saying why
   */
  public static PrecomputedTables resolve(Path file, Sources s, List<String> rebuilt) {
    TensorFile published = null;
    if (file == null) {
      rebuilt.add("the version publishes no precomputed tables (published before 2026-12-01): all rebuilt");
    } else {
      try {
        published = TensorFile.read(file);
      } catch (IOException e) {
        rebuilt.add(Artifacts.PRECOMPUTED + " unreadable, all rebuilt: " + Messages.describe(e));
      }
    }
    TensorFile t = published;
    int[] userSample = evenlySpread(s.mf().users());
    int[] movieSample = evenlySpread(s.catalog().size());
    TitleIndex.Keys keys = take(t, "title keys", rebuilt, () -> TitleIndex.Keys.of(s.catalog()), () -> {
      String format = t.metadata().get(TITLE_KEY_FORMAT);
      if (!Integer.toString(TitleIndex.KEY_FORMAT).equals(format)) {
        throw new IOException("made under title-key rules " + format + ", this server applies " + TitleIndex.KEY_FORMAT);
      }
      TitleIndex.Keys k = new TitleIndex.Keys(PackedStrings.ofUtf8(t.get(TITLE_KEY_BYTES).u8(), t.get(TITLE_KEY_ENDS).ints()),
          t.get(TITLE_KEY_MOVIES).ints());
      return checked(k, k.mismatch(s.catalog(), movieSample));
    });
    Assignments labels = take(t, "segment and cluster labels", rebuilt, () -> Assignments.of(s.segmentation(), s.mf(), s.profiles()),
        () -> {
          Assignments a = new Assignments(t.get(USER_SEGMENTS).ints(), t.get(MOVIE_CLUSTERS).ints());
          return checked(a, a.mismatch(s.segmentation(), s.mf(), s.profiles(), userSample, movieSample));
        });
    EmbeddingTables ranking = s.ranking();
    double[] foldIn = take(t, "fold-in Gram matrix", rebuilt, () -> FoldIn.gramOf(ranking), () -> {
      double[] g = t.get(FOLD_IN_GRAM).requireShape(ranking.dim(), ranking.dim()).doubles();
      return checked(g, LinearSolver.isGramOf(g, ranking.itemEmbeddings(), ranking.items(), ranking.dim(), 1.0)
          ? null : "it is not the ranking embeddings' Gram matrix");
    });
    double[] implicit = s.segmentation().implicit() == null ? null
        : take(t, "implicit-space Gram matrix", rebuilt, () -> s.segmentation().implicit().gram(), () -> {
          int dim = s.segmentation().implicit().dim();
          double[] g = t.get(IMPLICIT_GRAM).requireShape(dim, dim).doubles();
          return checked(g, s.segmentation().implicit().isGram(g) ? null : "it is not the implicit factors' Gram matrix");
        });
    return new PrecomputedTables(keys, labels, foldIn, implicit);
  }

  /** A published table's reader: returns it checked, or throws saying why it cannot be used. */
  private interface Published<T> {
    T read() throws IOException;
  }

  private static <T> T take(TensorFile file, String table, List<String> rebuilt, Supplier<T> compute, Published<T> published) {
    if (file == null) {
      return compute.get();
    }
    try {
      return published.read();
    } catch (IOException | RuntimeException e) {
      rebuilt.add(table + " rebuilt: " + Messages.describe(e));
      return compute.get();
    }
  }

  private static <T> T checked(T table, String mismatch) throws IOException {
    if (mismatch != null) {
      throw new IOException(mismatch);
    }
    return table;
  }

  /** Up to {@value #SAMPLE} indexes spread evenly over {@code [0, n)}, first and last included. */
  static int[] evenlySpread(int n) {
    int count = Math.min(n, SAMPLE);
    int[] sample = new int[count];
    for (int i = 0; i < count; i++) {
      sample[i] = count == 1 ? 0 : (int) ((long) i * (n - 1) / (count - 1));
    }
    return sample;
  }
}
