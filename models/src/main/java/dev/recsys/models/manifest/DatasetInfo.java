package dev.recsys.models.manifest;

/**
 * The data a version was trained on.
 *
 * @param name data set name, e.g. {@code "ml-latest-small"}
 * @param sha256 SHA-256 of the archive or of the ratings file it was read from
 * @param ratings ratings kept after cleaning
 * @param users distinct users
 * @param movies movies of the catalogue
 */
public record DatasetInfo(String name, String sha256, long ratings, long users, long movies) {}
