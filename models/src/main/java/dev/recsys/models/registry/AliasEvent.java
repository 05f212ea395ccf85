package dev.recsys.models.registry;

import java.time.Instant;

/**
 * One change of an alias, as kept in {@code aliases/history.json}.
 *
 * @param at when
 * @param by who, when known
 * @param alias which alias
 * @param action {@code "promote"}, {@code "rollback"} or {@code "remove"}
 * @param fromVersion the version before, 0 if the alias did not exist
 * @param toVersion the version after, 0 if the alias was removed
 * @param weight the weight after
 * @param reason free text
 */
public record AliasEvent(
    Instant at,
    String by,
    String alias,
    String action,
    long fromVersion,
    long toVersion,
    double weight,
    String reason) {

  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";
  public static final String REMOVE = "remove";
}
