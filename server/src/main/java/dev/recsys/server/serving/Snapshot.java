package dev.recsys.server.serving;

import java.util.Map;
import java.util.Optional;

/**
 * What serves whom at one moment: the loaded versions, the production version, and the canary
 * version with its share of users. Immutable; replaced whole.
 *
 * @param models loaded versions by number
 * @param production the production version, 0 when none is loaded
 * @param canary the canary version, 0 when none
 * @param canaryWeight share of users routed to the canary
 */
public record Snapshot(Map<Long, LoadedModel> models, long production, long canary, double canaryWeight) {

  public static final Snapshot EMPTY = new Snapshot(Map.of(), 0, 0, 0);

  public Snapshot {
    models = Map.copyOf(models);
  }

  public boolean serving() {
    return production != 0;
  }

  /**
   * The route of a routing key: the canary for a sticky share of keys (a hash of the key below the
   * canary's weight), production for the rest.
   */
  public String routeOf(long routingKey) {
    return canary != 0 && unitHash(routingKey) < canaryWeight ? "canary" : "production";
  }

  public Optional<LoadedModel> model(long version) {
    return Optional.ofNullable(models.get(version));
  }

  /** A well-mixed value in [0, 1) from a key: the same key always lands in the same place. */
  static double unitHash(long key) {
    long x = key * 0x9E3779B97F4A7C15L;
    x ^= x >>> 32;
    x *= 0xD6E8FEB86659FD93L;
    x ^= x >>> 32;
    return (x >>> 11) * 0x1.0p-53;
  }
}
