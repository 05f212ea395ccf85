package dev.recsys.models.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads registry files whole, but never more than a stated limit: a file someone made huge (or
 * that grows while read) is refused with its size named instead of filling the heap.
 */
public final class BoundedFiles {

  private BoundedFiles() {}

  /**
   * The bytes of {@code file}, at most {@code maxBytes} of them.
   *
   * @param what what the file is, for the message (e.g. "alias file")
   * @throws IOException naming the file, its size and the limit when it is larger
   */
  public static byte[] read(Path file, long maxBytes, String what) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(what + " " + file + " is " + size + " bytes, over the " + maxBytes + " limit");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new IOException(what + " " + file + " grew past the " + maxBytes + " limit while being read");
      }
      return bytes;
    }
  }

  /** Refuses {@code file} when it is larger than {@code maxBytes} (for files read as a stream). */
  public static void requireAtMost(Path file, long maxBytes, String what) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(what + " " + file + " is " + size + " bytes, over the " + maxBytes + " limit");
    }
  }
}
