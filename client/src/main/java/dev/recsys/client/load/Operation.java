package dev.recsys.client.load;

import java.util.Locale;

/** The calls the load generator can make. */
public enum Operation {
  RECOMMEND,
  PREDICT,
  SIMILAR,
  RATE,
  CLUSTER,
  /** The gRPC health check: a no-op that measures the transport alone. */
  HEALTH;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Operation parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown operation '" + name + "': use recommend, predict, similar, rate, cluster or health");
    }
  }
}
