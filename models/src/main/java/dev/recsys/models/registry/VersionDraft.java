package dev.recsys.models.registry;

import dev.recsys.models.manifest.DatasetInfo;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.manifest.Lineage;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parts of a manifest that the publisher supplies; the registry adds the format, model name,
 * version number, creation time and the file list with sizes and checksums.
 */
public record VersionDraft(
    DatasetInfo dataset,
    Lineage lineage,
    ObjectNode hyperParameters,
    ObjectNode metrics,
    ObjectNode serving) {

  public VersionDraft {
    hyperParameters = hyperParameters == null ? Json.object() : hyperParameters;
    metrics = metrics == null ? Json.object() : metrics;
    serving = serving == null ? Json.object() : serving;
  }
}
