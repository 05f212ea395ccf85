package dev.recsys.trainer.ranking;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code --params} file: the top-N search space as JSON, each key a list of values (or a single
 * value), e.g. {@code {"ease_lambda": [400], "ials_dim": [64, 128]}}. Keys left out keep the
 * documented defaults of {@link SearchSpace#defaults()}. {@code tune} writes the chosen settings as
 * a one-point space, so {@code train --params} reproduces the choice without searching, and records
 * under {@code tuned_on} the data it was chosen on (its rating file's SHA-256), so that {@code
 * evaluate} can refuse settings chosen on the very data whose test part it reports. Unknown keys,
 * empty lists and bad values are refused with the key and the value named.
 */
public final class ParamsFile {

  private static final Set<String> KEYS = Set.of("ease_lambda", "ease_neighbors", "ials_dim", "ials_unobserved", "ials_l2", "tuned_on");

  /** The data a file's settings were chosen on: its name and its rating file's SHA-256. */
  public record TunedOn(String data, String sha256) {}

  /** A file's search space, and the data {@code tune} chose it on (empty for a hand-written file). */
  public record Params(SearchSpace space, java.util.Optional<TunedOn> tunedOn) {}

  /** Largest file read (a parameter file is a few hundred bytes). */
  static final long MAX_BYTES = 1 << 20;

  private ParamsFile() {}

  public static Params read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--params: no such file " + file);
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IllegalArgumentException("--params: " + file + " is over " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("--params: " + file + " is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("--params: " + file + " must hold a JSON object of search-space lists");
    }
    java.util.Optional<TunedOn> tunedOn = tunedOn(root, file);
    for (Iterator<String> names = root.propertyNames().iterator(); names.hasNext(); ) {
      String key = names.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("--params: unknown key '" + key + "' in " + file + "; known keys: " + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    SearchSpace d = SearchSpace.defaults();
    try {
      return new Params(new SearchSpace(doubles(root, "ease_lambda", d.easeLambda()), ints(root, "ease_neighbors", d.easeNeighbors()),
          ints(root, "ials_dim", d.ialsDim()), doubles(root, "ials_unobserved", d.ialsUnobserved()), doubles(root, "ials_l2", d.ialsL2())), tunedOn);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--params " + file + ": " + e.getMessage(), e);
    }
  }

  private static java.util.Optional<TunedOn> tunedOn(JsonNode root, Path file) {
    JsonNode t = root.path("tuned_on");
    if (t.isMissingNode()) {
      return java.util.Optional.empty();
    }
    if (!t.path("data").isString() || !t.path("sha256").isString()) {
      throw new IllegalArgumentException("--params: tuned_on in " + file + " must hold the strings data and sha256");
    }
    return java.util.Optional.of(new TunedOn(t.path("data").asString(), t.path("sha256").asString()));
  }

  /**
   * Writes the chosen settings as a one-point space (EASE's keys left out when EASE was skipped),
   * with the data they were chosen on.
   */
  public static void write(Path file, ChosenParams chosen, TunedOn tunedOn) throws IOException {
    ObjectNode o = Json.object();
    ObjectNode on = o.putObject("tuned_on");
    on.put("data", tunedOn.data());
    on.put("sha256", tunedOn.sha256());
    if (chosen.easeLambda() != null) {
      o.putArray("ease_lambda").add(chosen.easeLambda());
      o.putArray("ease_neighbors").add(chosen.easeNeighbors());
    }
    o.putArray("ials_dim").add(chosen.ialsDim());
    o.putArray("ials_unobserved").add(chosen.ialsUnobserved());
    o.putArray("ials_l2").add(chosen.ialsL2());
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    AtomicFiles.writeDurably(file, out -> Json.MAPPER.writeValue(out, o));
  }

  private static List<Double> doubles(JsonNode root, String key, List<Double> fallback) {
    List<Double> out = new ArrayList<>();
    for (JsonNode v : values(root, key)) {
      if (!v.isNumber()) {
        throw new IllegalArgumentException(key + " takes numbers, got " + v);
      }
      out.add(v.asDouble());
    }
    return root.has(key) ? out : fallback;
  }

  private static List<Integer> ints(JsonNode root, String key, List<Integer> fallback) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode v : values(root, key)) {
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new IllegalArgumentException(key + " takes whole numbers, got " + v);
      }
      out.add(v.asInt());
    }
    return root.has(key) ? out : fallback;
  }

  private static List<JsonNode> values(JsonNode root, String key) {
    JsonNode node = root.get(key);
    if (node == null) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(out::add);
    } else {
      out.add(node);
    }
    return out;
  }
}
