package dev.recsys.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.trainer.data.DataQuality.Issue;
import dev.recsys.trainer.testing.SyntheticFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One body over every layout, from folders and from zips, with the same deliberate defects. */
class MovieLensLoaderLayoutsTest {

  @TempDir static Path tmp;

  interface Writer {
    Path write(Path dir) throws IOException;
  }

  static Stream<Arguments> layouts() throws IOException {
    return Stream.of(
        Arguments.of("csv folder", Layout.CSV, (Writer) SyntheticFiles::csv),
        Arguments.of("ml-100k folder", Layout.ML100K, (Writer) SyntheticFiles::ml100k),
        Arguments.of("ml-1m folder", Layout.DAT, (Writer) d -> SyntheticFiles.dat(d, true)),
        Arguments.of("ml-10m zip", Layout.DAT,
            (Writer) d -> SyntheticFiles.zip(SyntheticFiles.dat(d, false), d.resolveSibling(d.getFileName() + ".zip"), "ml-10M100K")),
        Arguments.of("csv zip", Layout.CSV,
            (Writer) d -> SyntheticFiles.zip(SyntheticFiles.csv(d), d.resolveSibling(d.getFileName() + ".zip"), "ml-latest-small")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void load_everyLayout_keepsTheCleanRowsAndCountsTheRest(String name, Layout layout, Writer writer)
      throws IOException {
    Path path = writer.write(Files.createTempDirectory(tmp, "set"));

    MovieLensData data = MovieLensLoader.quiet().load(path);

    assertEquals(layout, data.layout());
    assertEquals(3, data.catalog().size());
    RatingsTable r = data.ratings();
    assertEquals(3, r.size());
    assertEquals(List.of(1L, 2L), java.util.Arrays.stream(data.userIds()).boxed().toList());
    assertRating(data, 1, 1, 5.0f);
    assertRating(data, 1, 2, 3.0f);
    assertRating(data, 2, 3, 2.0f);

    DataQuality q = data.quality();
    assertEquals(1, q.count(Issue.DUPLICATE_RATING));
    assertEquals(1, q.count(Issue.UNKNOWN_MOVIE));
    assertEquals(2, q.count(Issue.RATING_OUT_OF_RANGE));
    assertEquals(2, q.count(Issue.MALFORMED_RATING_LINE));
    assertEquals(1, q.count(Issue.INVALID_ID));
    assertEquals(7, q.droppedRatings());
    assertEquals(1, q.count(Issue.MOVIE_WITHOUT_GENRES));
    assertEquals(layout == Layout.ML100K ? 0 : 1, q.count(Issue.MOVIE_WITHOUT_YEAR),
        "ml-100k takes the year from the release date");
    assertTrue(q.entries().stream().allMatch(e -> !e.examples().isEmpty()));

    var catalog = data.catalog();
    assertEquals("Beta, The", catalog.title(catalog.indexOf(2)));
    assertEquals(2001, catalog.year(catalog.indexOf(2)));
    assertEquals(List.of("Action", "Comedy"), catalog.genresOf(catalog.indexOf(1)));
    assertEquals(List.of(), catalog.genresOf(catalog.indexOf(3)));
  }

  @Test
  void load_ml100kDemographics_malformedLineCounted() throws IOException {
    MovieLensData data = MovieLensLoader.quiet().load(SyntheticFiles.ml100k(tmp.resolve("demo")));
    Demographics d = data.demographics().orElseThrow();
    assertEquals(53, d.ages()[data.userIndex(2)]);
    assertEquals('F', d.genders()[data.userIndex(2)]);
    assertEquals(1, data.quality().count(Issue.MALFORMED_USER_LINE));
  }

  /** The loader the training and evaluation commands use says on standard error what cleaning dropped. */
  @Test
  void aCommandsLoader_reportsWhatWasDropped_onStandardError() throws IOException {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    try {
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      MovieLensLoader.withConsoleReport().load(SyntheticFiles.ml100k(tmp.resolve("reported")));
    } finally {
      System.setErr(before);
    }
    String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("malformed_user_line") && text.contains("dropped"), text);
  }

  /** Genres are bits of a 64-bit mask: a 65th is refused naming the file, not wrapped onto the first bit or thrown as an argument error. */
  @Test
  void load_moreThan64Genres_isRefusedNamingTheFile() throws IOException {
    Path dir = SyntheticFiles.csv(tmp.resolve("genres"));
    StringBuilder movies = new StringBuilder("movieId,title,genres\n");
    for (int g = 0; g < 65; g++) {
      movies.append(g + 1).append(",Movie ").append(g).append(" (1999),Genre").append(g).append('\n');
    }
    Files.writeString(dir.resolve("movies.csv"), movies);
    IOException e = assertThrows(IOException.class, () -> MovieLensLoader.quiet().load(dir));
    assertTrue(e.getMessage().contains("movies.csv names 65 distinct genres; a catalogue holds at most 64"), e.getMessage());
  }

  @Test
  void load_folderWithoutMovieLensFiles_saysWhatItExpected() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "hello");
    IOException e = assertThrows(IOException.class, () -> MovieLensLoader.quiet().load(empty));
    assertTrue(e.getMessage().contains("u.data + u.item"), e.getMessage());
  }

  @Test
  void load_notAZip_saysSo() throws IOException {
    Path bogus = Files.writeString(tmp.resolve("bogus.zip"), "not a zip");
    IOException e = assertThrows(IOException.class, () -> MovieLensLoader.quiet().load(bogus));
    assertTrue(e.getMessage().contains("not a readable zip"), e.getMessage());
  }

  /**
   * A zip whose central directory declares its rating file at 4 GB (zip headers are not to be
   * trusted): the loader must not reserve arrays for what the header claims, only read what is there.
   */
  @Test
  void load_zipDeclaringAHugeEntry_readsWhatIsThere_withoutReservingTheDeclaredSize() throws IOException {
    Path dir = Files.createTempDirectory(tmp, "liar");
    Path zip = SyntheticFiles.zip(SyntheticFiles.csv(dir), dir.resolveSibling("liar.zip"), "ml-latest-small");
    byte[] b = Files.readAllBytes(zip);
    int patched = 0;
    for (int i = 0; i + 46 < b.length; i++) {
      // Central directory file header: signature 0x02014b50; uncompressed size at offset 24; name at 46.
      if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 0x01 && b[i + 3] == 0x02) {
        int nameLength = (b[i + 28] & 0xff) | (b[i + 29] & 0xff) << 8;
        String name = new String(b, i + 46, nameLength, java.nio.charset.StandardCharsets.UTF_8);
        if (name.endsWith("ratings.csv")) {
          b[i + 24] = (byte) 0xf0;
          b[i + 25] = (byte) 0xff;
          b[i + 26] = (byte) 0xff;
          b[i + 27] = (byte) 0xff;
          patched++;
        }
      }
    }
    assertEquals(1, patched, "the rating entry's declared size was patched");
    Files.write(zip, b);
    try (DataSource source = DataSource.open(zip)) {
      assertEquals(0xfffffff0L, source.size("ratings.csv"), "the archive now claims about 4 GB");
    }
    // With -Xmx3g, reserving rows for the declared size (about 200 million) would run out of memory.
    MovieLensData data = MovieLensLoader.quiet().load(zip);
    assertEquals(3, data.ratings().size());
  }

  private static void assertRating(MovieLensData data, long user, long movie, float expected) {
    RatingsTable r = data.ratings();
    int u = data.userIndex(user);
    int m = data.catalog().indexOf(movie);
    for (int i = r.userStart(u); i < r.userEnd(u); i++) {
      if (r.movie(i) == m) {
        assertEquals(expected, r.rating(i), "user " + user + " movie " + movie);
        return;
      }
    }
    throw new AssertionError("no rating for user " + user + " movie " + movie);
  }
}
