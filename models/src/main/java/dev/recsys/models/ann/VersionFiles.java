package dev.recsys.models.ann;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.Set;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;

/**
 * A read-only Lucene view of a version folder: Lucene sees exactly the listed files, under their
 * names without the version's prefix ({@code ann._0.vec} as {@code _0.vec}). Files a manifest does
 * not list (and whose checksum the registry therefore never verified) do not exist for Lucene.
 */
final class VersionFiles extends FilterDirectory {

  private final String prefix;
  private final Set<String> names;

  VersionFiles(Directory versionDir, String prefix, Collection<String> names) {
    super(versionDir);
    this.prefix = prefix;
    this.names = Set.copyOf(names);
  }

  @Override
  public String[] listAll() {
    return names.stream().sorted().toArray(String[]::new);
  }

  @Override
  public long fileLength(String name) throws IOException {
    return in.fileLength(listed(name));
  }

  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    return in.openInput(listed(name), context);
  }

  private String listed(String name) throws NoSuchFileException {
    if (!names.contains(name)) {
      throw new NoSuchFileException("the version's manifest lists no index file " + prefix + name);
    }
    return prefix + name;
  }

  @Override
  public void deleteFile(String name) throws IOException {
    throw readOnly();
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    throw readOnly();
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
    throw readOnly();
  }

  @Override
  public void sync(Collection<String> files) throws IOException {
    throw readOnly();
  }

  @Override
  public void rename(String source, String dest) throws IOException {
    throw readOnly();
  }

  @Override
  public void syncMetaData() throws IOException {
    throw readOnly();
  }

  @Override
  public Lock obtainLock(String name) throws IOException {
    throw readOnly();
  }

  @Override
  public Set<String> getPendingDeletions() {
    return Set.of();
  }

  private static IOException readOnly() {
    return new IOException("a published version's index is read-only");
  }
}
