package dev.recsys.trainer.testing;

import dev.recsys.trainer.data.DatasetLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where tests find the real MovieLens archives: through the same {@link DatasetLocator} the trainer
 * uses, so {@code RECSYS_DATA_DIR} (or the {@code recsys.data.dir} property the build points at
 * {@code ../shared/data}) is used when it holds them, and a machine with internet access downloads
 * and verifies them into the cache otherwise. A missing archive fails the test; it is never skipped.
 */
public final class TestData {

  private TestData() {}

  /** The archive of a data set, e.g. {@code archive("ml-100k")}. */
  public static Path archive(String name) {
    try {
      return DatasetLocator.fromEnvironment().locate(name);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "MovieLens " + name + " is not available: set RECSYS_DATA_DIR to a folder holding " + name + ".zip", e);
    }
  }
}
