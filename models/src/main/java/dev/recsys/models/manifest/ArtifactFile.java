package dev.recsys.models.manifest;

/**
 * One file of a model version.
 *
 * @param name file name inside the version folder (no path)
 * @param role what the file is to its readers, e.g. {@code "rating_mf"}, {@code "catalog"}
 * @param sizeBytes exact size in bytes
 * @param sha256 lower-case hex SHA-256 of the content
 */
public record ArtifactFile(String name, String role, long sizeBytes, String sha256) {}
