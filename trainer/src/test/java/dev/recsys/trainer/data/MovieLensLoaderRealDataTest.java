package dev.recsys.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.trainer.data.DataQuality.Issue;
import dev.recsys.trainer.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader against the real archives of ../shared/data. */
class MovieLensLoaderRealDataTest {

  @Test
  void load_mlLatestSmall_matchesPublishedCounts() throws IOException {
    MovieLensData data = MovieLensLoader.quiet().load(TestData.archive("ml-latest-small"));

    assertEquals(Layout.CSV, data.layout());
    assertEquals(100_836, data.ratings().size());
    assertEquals(610, data.userIds().length);
    assertEquals(9_742, data.catalog().size());
    assertEquals(0, data.quality().droppedRatings());
    // 34 movies carry "(no genres listed)"; they are kept with no genres and reported.
    assertEquals(34, data.quality().count(Issue.MOVIE_WITHOUT_GENRES));
    assertTrue(data.quality().count(Issue.MOVIE_WITHOUT_YEAR) > 0);
    // The rating file's SHA-256 (ratings.csv inside the zip), as a folder of the same data gives it.
    assertEquals("aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646", data.sha256());

    Catalog catalog = data.catalog();
    int toyStory = catalog.indexOf(1);
    assertEquals("Toy Story", catalog.title(toyStory));
    assertEquals(1995, catalog.year(toyStory));
    assertTrue(catalog.genresOf(toyStory).contains("Animation"));
    // A quoted title with a comma: "American President, The (1995)".
    assertEquals("American President, The", catalog.title(catalog.indexOf(11)));
    assertEquals(0.5f, minRating(data.ratings()));
  }

  @Test
  void load_ml100k_readsItemFlagsAndDemographics() throws IOException {
    MovieLensData data = MovieLensLoader.quiet().load(TestData.archive("ml-100k"));

    assertEquals(Layout.ML100K, data.layout());
    assertEquals(100_000, data.ratings().size());
    assertEquals(943, data.userIds().length);
    assertEquals(1_682, data.catalog().size());
    assertEquals(18, data.catalog().genres().size(), "the 'unknown' flag is no genre");
    assertEquals(0, data.quality().droppedRatings());
    Demographics d = data.demographics().orElseThrow();
    int user1 = data.userIndex(1);
    assertEquals(24, d.ages()[user1]);
    assertEquals('M', d.genders()[user1]);
    assertEquals("technician", d.occupations()[user1]);
    // ml-100k is ISO-8859-1: accented titles decode through the fallback and are reported.
    assertTrue(data.quality().count(Issue.TITLE_ENCODING_FIXED) > 0);
    assertEquals(1.0f, minRating(data.ratings()));
  }

  @Test
  void rowsOf_ml100kOfficialSplit_partitionsTheRatings() throws IOException {
    Path archive = TestData.archive("ml-100k");
    MovieLensLoader loader = MovieLensLoader.quiet();
    MovieLensData data = loader.load(archive);
    DataQuality q = new DataQuality();

    int[] base = loader.rowsOf(archive, "u1.base", data, q);
    int[] test = loader.rowsOf(archive, "u1.test", data, q);

    assertEquals(80_000, base.length);
    assertEquals(20_000, test.length);
    assertEquals(0, q.droppedRatings());
    assertEquals(0, java.util.Arrays.stream(base).filter(r -> java.util.Arrays.binarySearch(test, r) >= 0).count());
  }

  @Test
  void load_folderAndZip_giveTheSameData(@TempDir Path dir) throws IOException {
    Path archive = TestData.archive("ml-latest-small");
    unzip(archive, dir);
    MovieLensData fromZip = MovieLensLoader.quiet().load(archive);
    MovieLensData fromFolder = MovieLensLoader.quiet().load(dir.resolve("ml-latest-small"));

    assertEquals(fromZip.ratings().size(), fromFolder.ratings().size());
    assertEquals(fromZip.catalog().size(), fromFolder.catalog().size());
    for (int i = 0; i < fromZip.ratings().size(); i += 997) {
      assertEquals(fromZip.ratings().movie(i), fromFolder.ratings().movie(i));
      assertEquals(fromZip.ratings().rating(i), fromFolder.ratings().rating(i));
    }
  }

  static float minRating(RatingsTable t) {
    float min = Float.MAX_VALUE;
    for (int i = 0; i < t.size(); i++) {
      min = Math.min(min, t.rating(i));
    }
    return min;
  }

  static void unzip(Path zip, Path dir) throws IOException {
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        Path out = dir.resolve(e.getName()).normalize();
        if (!out.startsWith(dir)) {
          throw new IOException("zip entry escapes: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(z, out);
        }
      }
    }
  }

  /** The data's identity does not depend on how it was unpacked: the zip and a folder of its files hash alike. */
  @Test
  void theSameRatingsHashAlike_zippedOrUnpacked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    java.nio.file.Path zip = TestData.archive("ml-100k");
    try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
      for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = java.nio.file.Path.of(e.getName()).getFileName().toString();
        if (!e.isDirectory() && java.util.Set.of("u.data", "u.item", "u.genre").contains(name)) {
          java.nio.file.Files.copy(in, dir.resolve(name));
        }
      }
    }
    assertEquals(MovieLensLoader.quiet().load(zip).sha256(), MovieLensLoader.quiet().load(dir).sha256());
  }
}
