package dev.recsys.models.registry;

import java.time.Instant;

/**
 * A named pointer at a version, stored as {@code aliases/<name>.json}.
 *
 * @param name alias name, e.g. {@code "production"} or {@code "canary"}
 * @param version the version it points at
 * @param weight share of users it serves: 1.0 for production, (0, 1] for a canary
 * @param updatedAt when it last changed
 * @param updatedBy who changed it, when known
 * @param reason free text given with the change
 */
public record Alias(
    String name, long version, double weight, Instant updatedAt, String updatedBy, String reason) {

  /** The alias that takes all traffic not sent to a canary. */
  public static final String PRODUCTION = "production";

  /** The alias that takes a sticky share of users. */
  public static final String CANARY = "canary";
}
