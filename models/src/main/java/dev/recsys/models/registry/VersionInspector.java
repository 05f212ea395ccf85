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

  private static VersionCheck problem(long version, Path dir, Manifest manifest, String problem) {
    return new VersionCheck(version, dir, manifest, problem, false);
  }
}
