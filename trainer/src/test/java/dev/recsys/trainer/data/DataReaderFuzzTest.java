package dev.recsys.trainer.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzzing of the MovieLens readers: a {@code ratings.csv} and {@code movies.csv} of arbitrary
 * bytes in a folder, or in a zip archive that is then damaged, loaded as the trainer loads a data set. The loader must either refuse the data
 * set with an {@link IOException} that says why, or load it with every bad row counted in the
 * quality report; whatever it keeps must be well formed (ratings in range, indices inside the
 * catalogue and user list). Any other exception is a finding.
 *
 * <p>The normal test run replays the seeds under {@code DataReaderFuzzTestInputs/} and fuzzes
 * briefly (the {@code fuzz} execution of the build). Longer:
 * {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -pl trainer test -Dtest=DataReaderFuzzTest}; findings are
 * written next to the seeds as {@code crash-*} files and replayed by every later run.
 */
class DataReaderFuzzTest {

  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("recsys-fuzz-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void load_refusesOrCountsEveryBadRow(FuzzedDataProvider data) throws IOException {
    Path folder = Files.createDirectories(DIR.resolve("ml"));
    Files.write(folder.resolve("movies.csv"), data.consumeBytes(data.consumeInt(0, 4096)));
    Files.write(folder.resolve("ratings.csv"), data.consumeRemainingAsBytes());
    loadAndCheck(folder);
  }

  /**
   * The zip reader: an archive built with the data set's entry names (in a folder or not, stored or
   * deflated, with fuzzed contents), then damaged at fuzzed offsets (headers, sizes, names, the
   * central directory), loaded as a downloaded data set is.
   */
  @FuzzTest(maxDuration = "15s")
  void loadZip_refusesOrCountsEveryBadRow(FuzzedDataProvider data) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    String prefix = data.pickValue(new String[] {"", "ml-latest-small/", "a/b/"});
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (String name : new String[] {"movies.csv", "ratings.csv"}) {
        byte[] content = data.consumeBytes(data.consumeInt(0, 2048));
        java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(prefix + name);
        if (data.consumeBoolean()) {
          e.setMethod(java.util.zip.ZipEntry.STORED);
          e.setSize(content.length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(content);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
      }
    }
    byte[] archive = bytes.toByteArray();
    int damages = data.consumeInt(0, 8);
    for (int i = 0; i < damages && archive.length > 0; i++) {
      archive[data.consumeInt(0, archive.length - 1)] = data.consumeByte();
    }
    Path file = DIR.resolve("ml.zip");
    Files.write(file, archive);
    loadAndCheck(file);
  }

  private static void loadAndCheck(Path source) {
    MovieLensData loaded;
    try {
      loaded = MovieLensLoader.quiet().load(source);
    } catch (IOException refused) {
      assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank() && !refused.getMessage().contains("null"),
          () -> "a refusal says why: " + refused + " at " + java.util.Arrays.toString(refused.getStackTrace()).substring(0, 600));
      return;
    }
    RatingsTable ratings = loaded.ratings();
    assertTrue(ratings.numMovies() == loaded.catalog().size(), "one column per catalogue movie");
    assertTrue(ratings.numUsers() == loaded.userIds().length, "one row per user id");
    for (int r = 0; r < ratings.size(); r++) {
      float stars = ratings.rating(r);
      assertTrue(stars >= RatingLines.MIN_RATING && stars <= RatingLines.MAX_RATING, "rating " + stars + " kept");
      assertTrue(ratings.movie(r) >= 0 && ratings.movie(r) < ratings.numMovies());
      assertTrue(ratings.user(r) >= 0 && ratings.user(r) < ratings.numUsers());
    }
  }
}
