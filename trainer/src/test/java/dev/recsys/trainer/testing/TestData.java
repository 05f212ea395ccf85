package dev.recsys.trainer.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the real MovieLens archives: the {@code RECSYS_DATA_DIR} environment variable, or
 * the {@code recsys.data.dir} system property that the build sets to {@code ../shared/data}. A
 * missing archive fails the test with a message saying how to provide it; it is never skipped.
 */
public final class TestData {

  private TestData() {}

  public static Path dataDir() {
    String dir = System.getenv("RECSYS_DATA_DIR");
    if (dir == null || dir.isBlank()) {
      dir = System.getProperty("recsys.data.dir");
    }
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException("set RECSYS_DATA_DIR to the folder of the MovieLens archives");
    }
    return Path.of(dir);
  }

  /** The archive of a data set, e.g. {@code archive("ml-100k")}. */
  public static Path archive(String name) {
    Path p = dataDir().resolve(name + ".zip");
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          p + " is missing: set RECSYS_DATA_DIR to a folder holding " + name + ".zip");
    }
    return p;
  }
}
