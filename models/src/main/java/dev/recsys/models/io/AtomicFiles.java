package dev.recsys.models.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes that are all-or-nothing: readers see either the old content or the complete new content.
 *
 * <p>The recipe is the classic one that also holds on NFS: write a temporary file in the same
 * folder, force it to stable storage, rename it over the target, then fsync the folder so the rename
 * itself survives a crash. Thread-safe (no shared state).
 */
public final class AtomicFiles {

  /** Writes the content of a stream; the callback must not close the stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code content}. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  /**
   * Atomically replaces {@code target} with what {@code writer} produces. If the writer fails, the
   * target is untouched and the temporary file is removed.
   */
  public static void write(Path target, StreamWriter writer) throws IOException {
    write(target, target.toAbsolutePath().getParent(), writer);
  }

  /**
   * As {@link #write(Path, StreamWriter)}, the temporary file written in {@code tempDir} (same
   * filesystem as the target) instead of beside the target: for a folder whose readers refuse any
   * file they do not expect, such as a published version's.
   */
  public static void write(Path target, Path tempDir, StreamWriter writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = tempDir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    boolean moved = false;
    try {
      writeDurably(temp, writer);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      fsyncDirectory(dir);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("filesystem of " + dir + " cannot rename atomically", e);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Creates (or truncates) {@code file}, writes it and forces it to stable storage before returning. */
  public static void writeDurably(Path file, StreamWriter writer) throws IOException {
    try (FileChannel channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel)) {
      OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
      // Writers (JSON libraries among them) may close the stream they are given; the channel must
      // stay open until it has been forced, so they get a view whose close() only flushes.
      writer.writeTo(new NonClosingStream(buffered));
      buffered.flush();
      channel.force(true);
    }
  }

  /** Forces a regular file's content to stable storage. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Forces a directory entry table to stable storage, so that creates and renames in it survive a
   * crash. Some filesystems refuse to open a directory; durability of the entries is then the
   * filesystem's own (as on NFS, where the server commits metadata synchronously).
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Opening a directory for reading is not allowed everywhere; nothing more can be done then.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /** Passes writes through and turns {@code close()} into {@code flush()}. */
  private static final class NonClosingStream extends java.io.FilterOutputStream {
    NonClosingStream(OutputStream target) {
      super(target);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
