package dev.recsys.models.manifest;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Flattens the nested metrics of a manifest into dotted keys with numeric values, e.g.
 * {@code {"rating": {"forest": {"rmse": 0.85}}}} into {@code "rating.forest.rmse" -> 0.85}: the
 * form the admin API and the CLI tables show.
 */
public final class MetricPaths {

  private MetricPaths() {}

  /** Numeric leaves of {@code node} by dotted path, in document order. */
  public static Map<String, Double> flatten(JsonNode node) {
    Map<String, Double> out = new LinkedHashMap<>();
    flatten("", node, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
    if (node == null) {
      return;
    }
    if (node.isNumber()) {
      out.put(prefix, node.asDouble());
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    }
  }
}
