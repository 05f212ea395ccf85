package dev.recsys.models.registry;

import dev.recsys.models.manifest.Manifest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the registry found in one version folder.
 *
 * @param version version number (the folder name)
 * @param dir the version folder
 * @param manifest the parsed manifest; null when it could not be read
 * @param problem why the version is unusable; null when it is valid
 * @param checksumsVerified whether file contents were hashed (otherwise only sizes were checked)
 */
public record VersionCheck(
    long version, Path dir, Manifest manifest, String problem, boolean checksumsVerified) {

  /** True when the version may be loaded. */
  public boolean valid() {
    return problem == null;
  }

  /** The manifest, if it could be read. */
  public Optional<Manifest> manifestIfRead() {
    return Optional.ofNullable(manifest);
  }
}
