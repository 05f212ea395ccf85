package dev.recsys.models.registry;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.io.FileTrees;
import dev.recsys.models.io.SafeNames;
import dev.recsys.models.io.Sha256;
import dev.recsys.models.manifest.ArtifactFile;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import dev.recsys.models.signing.ManifestSignature;
import dev.recsys.models.signing.SigningKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A version being written, in a private staging folder that no reader lists. Writers ask for the
 * path of each artifact with {@link #file(String, String)}, write it, then {@link #publish} the whole
 * version at once; or {@link #close()} without publishing to throw it away.
 *
 * <p>Publishing hashes and fsyncs every file, writes the manifest, then renames the staging folder
 * to the next free version number. The rename fails when another publisher took that number first
 * (a non-empty folder is never replaced), in which case the next number is tried with a rewritten
 * manifest. A process killed at any point leaves at most a staging folder, never a visible version.
 *
 * <p>Not thread-safe: one writer per staged version.
 */
public final class StagedVersion implements AutoCloseable {

  private static final int MAX_NUMBER_ATTEMPTS = 1000;

  private final ModelRegistry registry;
  private final String model;
  private final Path dir;
  private final Clock clock;
  private final Map<String, String> roles = new LinkedHashMap<>();
  private boolean finished;

  StagedVersion(ModelRegistry registry, String model, Path dir, Clock clock) {
    this.registry = registry;
    this.model = model;
    this.dir = dir;
    this.clock = clock;
  }

  /** The staging folder (for writers that create several files themselves). */
  public Path dir() {
    return dir;
  }

  /**
   * Declares an artifact and returns where to write it.
   *
   * @param name file name inside the version (no path)
   * @param role what the file is to its readers, recorded in the manifest
   */
  public Path file(String name, String role) {
    ensureOpen();
    SafeNames.requireFileName(name);
    if (name.equals(Manifest.FILE_NAME)) {
      throw new IllegalArgumentException("the manifest is written by publish()");
    }
    if (roles.putIfAbsent(name, role) != null) {
      throw new IllegalArgumentException("file " + name + " is declared twice");
    }
    return dir.resolve(name);
  }

  /** The names of the files declared so far, in declaration order. */
  public java.util.List<String> declaredFiles() {
    return java.util.List.copyOf(roles.keySet());
  }

  /**
   * Makes the version visible under the next free number.
   *
   * @return the published version's manifest
   * @throws RegistryException if a declared file is missing or an undeclared file is present
   */
  public Manifest publish(VersionDraft draft) throws IOException {
    return publish(draft, null);
  }

  /**
   * As {@link #publish(VersionDraft)}, with the manifest signed by {@code signer} (null: unsigned):
   * its signature ({@link ManifestSignature#FILE_NAME}) is written beside it before the version
   * becomes visible, so a version is never seen unsigned and then signed.
   */
  public Manifest publish(VersionDraft draft, SigningKey signer) throws IOException {
    ensureOpen();
    List<ArtifactFile> files = describeFiles();
    Manifest manifest =
        new Manifest(
            Manifest.CURRENT_FORMAT,
            model,
            1,
            clock.instant(),
            draft.dataset(),
            draft.lineage(),
            draft.hyperParameters(),
            draft.metrics(),
            draft.serving(),
            files);
    ManifestCodec.check(manifest);
    Path modelDir = registry.modelDir(model);
    long number = registry.highestVersionNumber(model) + 1;
    for (int attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++, number++) {
      manifest = manifest.withVersion(number);
      byte[] bytes = ManifestCodec.toBytes(manifest);
      AtomicFiles.write(dir.resolve(Manifest.FILE_NAME), bytes);
      if (signer != null) {
        AtomicFiles.write(dir.resolve(ManifestSignature.FILE_NAME), signer.sign(bytes).toBytes());
      }
      AtomicFiles.fsyncDirectory(dir);
      Path target = modelDir.resolve(Long.toString(number));
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        // rename(2) refuses to replace a non-empty folder: if a concurrent publisher renamed its
        // version to this number after our check, this move fails and we take the next number.
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        throw e;
      }
      AtomicFiles.fsyncDirectory(modelDir);
      finished = true;
      return manifest;
    }
    throw new RegistryException(
        RegistryException.Kind.CONFLICT, "could not find a free version number for " + model);
  }

  private List<ArtifactFile> describeFiles() throws IOException {
    TreeSet<String> present = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        present.add(entry.getFileName().toString());
      }
    }
    present.remove(Manifest.FILE_NAME);
    List<ArtifactFile> files = new ArrayList<>();
    for (Map.Entry<String, String> declared : roles.entrySet()) {
      String name = declared.getKey();
      Path path = dir.resolve(name);
      if (!present.remove(name) || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new RegistryException(
            RegistryException.Kind.FAILED_PRECONDITION,
            "declared file " + name + " was not written as a regular file");
      }
      AtomicFiles.fsync(path);
      files.add(new ArtifactFile(name, declared.getValue(), Files.size(path), Sha256.of(path)));
    }
    if (!present.isEmpty()) {
      throw new RegistryException(
          RegistryException.Kind.FAILED_PRECONDITION,
          "undeclared files in the staged version: " + present);
    }
    if (files.isEmpty()) {
      throw new RegistryException(
          RegistryException.Kind.FAILED_PRECONDITION, "a version needs at least one file");
    }
    return files;
  }

  private void ensureOpen() {
    if (finished) {
      throw new IllegalStateException("version already published or discarded");
    }
  }

  /** Discards the staged files unless the version was published. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      finished = true;
      FileTrees.deleteRecursively(dir);
    }
  }
}
