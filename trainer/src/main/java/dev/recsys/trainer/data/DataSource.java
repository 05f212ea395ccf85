package dev.recsys.trainer.data;

import dev.recsys.models.io.Sha256;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files of a data set, from a folder or a zip archive, found by file name whatever folder they
 * sit in (archives wrap them in {@code ml-100k/}, {@code ml-10M100K/}, ...). Not thread-safe.
 */
public abstract sealed class DataSource implements Closeable {

  private final Path path;

  DataSource(Path path) {
    this.path = path;
  }

  /** Opens a folder or a {@code .zip}. */
  public static DataSource open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return new Folder(path);
    }
    if (Files.isRegularFile(path)) {
      return new Zip(path);
    }
    throw new IOException("no data set at " + path);
  }

  /** The data set's name: the archive or folder name without {@code .zip}. */
  public String name() {
    String file = path.getFileName().toString();
    return file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
  }

  public Path path() {
    return path;
  }

  /** True when a file of this name exists. */
  public boolean has(String fileName) {
    return entry(fileName).isPresent();
  }

  /** The first matching entry of this file name (shallowest first). */
  abstract Optional<String> entry(String fileName);

  /** Opens a file by name. */
  public InputStream open(String fileName) throws IOException {
    String entry =
        entry(fileName).orElseThrow(() -> new IOException("no file " + fileName + " in " + path));
    return openEntry(entry);
  }

  abstract InputStream openEntry(String entry) throws IOException;

  /** Uncompressed size of a file, or -1 when unknown. */
  public abstract long size(String fileName) throws IOException;

  /**
   * SHA-256 of the rating file {@code fileForFolder}'s bytes, the same whether it is read from a
   * folder or from inside a zip: the data's identity (lineage, and the data {@code tune} chose on)
   * must not change with how it was unpacked.
   */
  public abstract String sha256(String fileForFolder) throws IOException;

  static final class Folder extends DataSource {
    private final List<Path> files = new ArrayList<>();

    Folder(Path dir) throws IOException {
      super(dir);
      try (Stream<Path> walk = Files.walk(dir, 3)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
      files.sort((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()));
    }

    @Override
    Optional<String> entry(String fileName) {
      return files.stream()
          .filter(f -> f.getFileName().toString().equals(fileName))
          .map(Path::toString)
          .findFirst();
    }

    @Override
    InputStream openEntry(String entry) throws IOException {
      return Files.newInputStream(Path.of(entry));
    }

    @Override
    public long size(String fileName) throws IOException {
      Optional<String> e = entry(fileName);
      return e.isPresent() ? Files.size(Path.of(e.get())) : -1;
    }

    @Override
    public String sha256(String fileForFolder) throws IOException {
      return Sha256.of(Path.of(entry(fileForFolder).orElseThrow(() -> new IOException("no " + fileForFolder))));
    }

    @Override
    public void close() {}
  }

  static final class Zip extends DataSource {
    private final ZipFile zip;
    private final List<ZipEntry> entries = new ArrayList<>();

    Zip(Path file) throws IOException {
      super(file);
      try {
        this.zip = new ZipFile(file.toFile());
      } catch (IOException e) {
        throw new IOException(file + " is not a readable zip archive: " + why(e), e);
      }
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        if (!e.isDirectory()) {
          entries.add(e);
        }
      }
      entries.sort((a, b) -> Integer.compare(depth(a.getName()), depth(b.getName())));
    }

    private static int depth(String name) {
      return (int) name.chars().filter(c -> c == '/').count();
    }

    private Optional<ZipEntry> zipEntry(String fileName) {
      return entries.stream()
          .filter(e -> e.getName().equals(fileName) || e.getName().endsWith("/" + fileName))
          .findFirst();
    }

    @Override
    Optional<String> entry(String fileName) {
      return zipEntry(fileName).map(ZipEntry::getName);
    }

    @Override
    InputStream openEntry(String entry) throws IOException {
      return new Damage(zip.getInputStream(zip.getEntry(entry)), path() + " entry " + entry);
    }

    /**
     * An entry's stream whose read failures name the archive and the entry: a damaged archive fails
     * deep inside the JDK's reader, often with a bare {@code EOFException} that says nothing.
     */
    private static final class Damage extends java.io.FilterInputStream {
      private final String where;

      Damage(InputStream in, String where) {
        super(in);
        this.where = where;
      }

      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw named(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          throw named(e);
        }
      }

      private IOException named(IOException e) {
        return new IOException(where + " is damaged and cannot be read (" + why(e) + "); download the archive again", e);
      }
    }

    /** What went wrong, never "null": the JDK's zip reader throws some exceptions without a message. */
    private static String why(Exception e) {
      return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public long size(String fileName) {
      return zipEntry(fileName).map(ZipEntry::getSize).orElse(-1L);
    }

    @Override
    public String sha256(String fileForFolder) throws IOException {
      try (InputStream in = open(fileForFolder)) {
        return Sha256.of(in);
      }
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }
}
