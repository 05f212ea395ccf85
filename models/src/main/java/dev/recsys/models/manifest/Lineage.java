package dev.recsys.models.manifest;

/**
 * Where a version came from, for audits and reproduction.
 *
 * @param trainerVersion version of the trainer build
 * @param command the command line that produced it
 * @param host machine name
 * @param user operating-system user
 * @param seed random seed of the run (same seed and data give the same metrics)
 * @param trainingSeconds wall time of the training run
 * @param parentVersion the version that was in production when this one was trained, or 0
 */
public record Lineage(
    String trainerVersion,
    String command,
    String host,
    String user,
    long seed,
    double trainingSeconds,
    long parentVersion) {}
