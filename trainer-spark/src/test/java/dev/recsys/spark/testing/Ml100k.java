package dev.recsys.spark.testing;

import dev.recsys.trainer.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** ml-100k unpacked into a folder (Spark splits plain files; it cannot read inside a zip). */
public final class Ml100k {

  private Ml100k() {}

  /** Unpacks the real archive's files named {@code names} (e.g. u.data, u.item, u.genre) into {@code dir}. */
  public static Path unpack(Path dir, String... names) {
    java.util.Set<String> wanted = java.util.Set.of(names);
    try (InputStream in = Files.newInputStream(TestData.archive("ml-100k")); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        String name = Path.of(e.getName()).getFileName().toString();
        if (!e.isDirectory() && wanted.contains(name)) {
          Files.copy(zip, dir.resolve(name));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
