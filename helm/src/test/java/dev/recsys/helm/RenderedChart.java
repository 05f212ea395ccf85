package dev.recsys.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The chart rendered by Helm (through helm-java) with a set of values, parsed into its manifests. */
final class RenderedChart {

  /** The chart folder, relative to the module (Surefire runs tests from the module folder). */
  static final Path CHART = Path.of("recsys");
  static final String RELEASE = "reco";
  /** A Kubernetes version the chart supports (native sleep preStop hooks need 1.30). */
  static final String KUBE_VERSION = "1.31.0";

  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

  private final List<JsonNode> manifests;
  private final String text;

  private RenderedChart(String text) {
    this.text = text;
    List<JsonNode> parsed = new ArrayList<>();
    try (var parser = YAML.createParser(text)) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode node = iterator.next();
        if (node != null && !node.isNull() && !node.isMissingNode() && node.has("kind")) {
          parsed.add(node);
        }
      }
    }
    this.manifests = List.copyOf(parsed);
  }

  /** Renders the chart with {@code --set key=value} for each entry (in order). */
  static RenderedChart render(Map<String, String> values) {
    return render(KUBE_VERSION, values);
  }

  static RenderedChart render(String kubeVersion, Map<String, String> values) {
    TemplateCommand command = new Helm(CHART).template()
        .withName(RELEASE).withNamespace("recsys").withKubeVersion(kubeVersion);
    values.forEach(command::set);
    return new RenderedChart(command.call());
  }

  static RenderedChart render() {
    return render(Map.of());
  }

  String text() {
    return text;
  }

  List<JsonNode> all() {
    return manifests;
  }

  Optional<JsonNode> find(String kind) {
    return manifests.stream().filter(m -> kind.equals(m.path("kind").asString())).findFirst();
  }

  JsonNode get(String kind) {
    return find(kind).orElseThrow(() -> new AssertionError("no " + kind + " rendered; kinds: " + kinds()));
  }

  List<String> kinds() {
    return manifests.stream().map(m -> m.path("kind").asString()).toList();
  }

  /** The server container of the Deployment. */
  JsonNode serverContainer() {
    return container(get("Deployment").path("spec").path("template").path("spec"), "server");
  }

  static JsonNode container(JsonNode podSpec, String name) {
    for (JsonNode c : podSpec.path("containers")) {
      if (name.equals(c.path("name").asString())) {
        return c;
      }
    }
    throw new AssertionError("no container " + name + " in " + podSpec);
  }

  /** The value of an environment variable of a container, or empty. */
  static Optional<String> env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asString())) {
        return Optional.of(e.path("value").asString());
      }
    }
    return Optional.empty();
  }
}
