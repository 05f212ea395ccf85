package dev.recsys.models.manifest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The content of {@code manifest.json}. Immutable apart from the JSON sections, which callers must
 * treat as read-only.
 *
 * @param formatVersion manifest format; readers refuse formats newer than {@link #CURRENT_FORMAT}
 * @param modelName registry model name
 * @param version registry version number (1, 2, 3, ...)
 * @param createdAt when the version was published
 * @param dataset the training data
 * @param lineage how it was produced
 * @param hyperParameters settings of every fitted model, by model name
 * @param metrics evaluation figures (held-out and training), by task and model
 * @param serving what a server needs beyond the files: selected models, dimensions, smoke tests
 * @param files every artifact file of the version (the manifest itself excluded)
 */
public record Manifest(
    int formatVersion,
    String modelName,
    long version,
    Instant createdAt,
    DatasetInfo dataset,
    Lineage lineage,
    ObjectNode hyperParameters,
    ObjectNode metrics,
    ObjectNode serving,
    List<ArtifactFile> files) {

  /**
   * The manifest format this build writes and the newest it reads. 2 (2026-11-29): top-N models
   * {@code ials}, {@code ease} and {@code blend}, the content blend of new users, user segments in
   * implicit-ALS factors; a server reading only 1 refuses such versions at the format check
   * instead of deep in loading. Format 1 versions still load (the new settings default to off).
   */
  public static final int CURRENT_FORMAT = 2;

  /** The file name of the manifest inside a version folder. */
  public static final String FILE_NAME = "manifest.json";

  public Manifest {
    files = List.copyOf(files);
  }

  /** The artifact with this role, if any. */
  public Optional<ArtifactFile> fileWithRole(String role) {
    return files.stream().filter(f -> f.role().equals(role)).findFirst();
  }

  /** Total size of the artifact files. */
  public long totalBytes() {
    return files.stream().mapToLong(ArtifactFile::sizeBytes).sum();
  }

  /** A copy with another version number (publishing assigns the number last). */
  public Manifest withVersion(long newVersion) {
    return new Manifest(
        formatVersion, modelName, newVersion, createdAt, dataset, lineage, hyperParameters, metrics,
        serving, files);
  }
}
