package dev.recsys.models.registry;

import dev.recsys.models.io.SafeNames;
import dev.recsys.models.io.Sha256;
import dev.recsys.models.manifest.ArtifactFile;
import dev.recsys.models.manifest.InvalidManifestException;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Decides whether a version folder is complete and intact. A quick check reads the manifest and
 * compares file sizes; a full check also hashes every file. Never throws for a bad version: the
 * problem is returned, so listing a registry with a broken version still lists the others.
 */
final class VersionInspector {

  private VersionInspector() {}

  static VersionCheck inspect(String model, long version, Path dir, boolean verifyChecksums) {
    Manifest manifest = null;
    try {
      if (Files.isSymbolicLink(dir)) {
        return new VersionCheck(version, dir, null, "version folder is a symbolic link", false);
      }
      Path manifestFile = dir.resolve(Manifest.FILE_NAME);
      if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
        return new VersionCheck(version, dir, null, "partial version: no manifest.json", false);
      }
      manifest = ManifestCodec.read(manifestFile);
      if (!manifest.modelName().equals(model)) {
        return problem(version, dir, manifest,
            "manifest names model '" + manifest.modelName() + "', folder is '" + model + "'");
      }
      if (manifest.version() != version) {
        return problem(version, dir, manifest,
            "manifest says version " + manifest.version() + ", folder is " + version);
      }
      String unlisted = unlisted(dir, manifest);
      if (unlisted != null) {
        return problem(version, dir, manifest, "holds what its manifest does not list: " + unlisted
            + " (a version folder may hold only manifest.json, its signature and its listed artifacts)");
      }
      for (ArtifactFile file : manifest.files()) {
        Path path = SafeNames.resolveInside(dir, file.name());
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          return problem(version, dir, manifest, "missing file " + file.name());
        }
        long size = Files.size(path);
        if (size != file.sizeBytes()) {
          return problem(version, dir, manifest,
              "size mismatch in " + file.name() + ": " + size + " bytes, manifest says "
                  + file.sizeBytes());
        }
        if (verifyChecksums && !Sha256.of(path).equals(file.sha256())) {
          return problem(version, dir, manifest, "checksum mismatch in " + file.name());
        }
      }
      return new VersionCheck(version, dir, manifest, null, verifyChecksums);
    } catch (InvalidManifestException e) {
      return problem(version, dir, manifest, e.getMessage());
    } catch (NoSuchFileException e) {
      return problem(version, dir, manifest, "file vanished while checking: " + e.getFile());
    } catch (IOException e) {
      return problem(version, dir, manifest, "unreadable: " + e.getMessage());
    }
  }

  /** Most unlisted names a refusal names. */
  static final int NAMED = 5;

  /**
   * The entries of a version folder that are neither the manifest nor a listed artifact (or a folder
   * on the way to one), comma-separated, or null when there are none. A loader must never find code
   * or configuration beside the artifacts it verified (DJL, for one, scans a model folder for
   * classes, jars and {@code serving.properties}).
   */
  static String unlisted(Path dir, Manifest manifest) throws IOException {
    java.util.Set<String> allowed = new java.util.HashSet<>();
    allowed.add(Manifest.FILE_NAME);
    allowed.add(dev.recsys.models.signing.ManifestSignature.FILE_NAME);
    for (ArtifactFile file : manifest.files()) {
      String name = file.name().replace('\\', '/');
      int slash = name.indexOf('/');
      allowed.add(slash < 0 ? name : name.substring(0, slash));
    }
    java.util.List<String> extra = new java.util.ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!allowed.contains(name)) {
          extra.add(Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name);
        }
      }
    }
    if (extra.isEmpty()) {
      return null;
    }
    java.util.Collections.sort(extra);
    String named = String.join(", ", extra.subList(0, Math.min(NAMED, extra.size())));
    return extra.size() > NAMED ? named + " and " + (extra.size() - NAMED) + " more" : named;
  }

  private static VersionCheck problem(long version, Path dir, Manifest manifest, String problem) {
    return new VersionCheck(version, dir, manifest, problem, false);
  }
}
