package dev.recsys.models.testing;

import dev.recsys.models.manifest.DatasetInfo;
import dev.recsys.models.manifest.Lineage;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.StagedVersion;
import dev.recsys.models.registry.VersionDraft;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Publishes small versions with made-up files, for registry tests. */
public final class TestVersions {

  private TestVersions() {}

  /** A draft with placeholder dataset and lineage. */
  public static VersionDraft draft() {
    return new VersionDraft(
        new DatasetInfo("synthetic", "0".repeat(64), 10, 2, 3),
        new Lineage("test", "test", "localhost", "tester", 42, 0.1, 0),
        null,
        null,
        null);
  }

  /** Publishes a version holding two small text files whose content includes {@code tag}. */
  public static Manifest publish(ModelRegistry registry, String model, String tag)
      throws IOException {
    return publish(registry, model, tag, 0);
  }

  /** As {@link #publish(ModelRegistry, String, String)}, with {@code padding} more bytes of weights. */
  public static Manifest publish(ModelRegistry registry, String model, String tag, int padding)
      throws IOException {
    return publish(registry, model, tag, padding, null);
  }

  /** As {@link #publish(ModelRegistry, String, String, int)}, signed by {@code signer} (null: unsigned). */
  public static Manifest publish(ModelRegistry registry, String model, String tag, int padding,
      dev.recsys.models.signing.SigningKey signer) throws IOException {
    try (StagedVersion staged = registry.stage(model)) {
      Path weights = staged.file("weights.bin", "weights");
      Files.writeString(weights, "weights of " + tag, StandardCharsets.UTF_8);
      if (padding > 0) {
        Files.write(weights, new byte[padding], java.nio.file.StandardOpenOption.APPEND);
      }
      Files.writeString(staged.file("catalog.json", "catalog"), "{\"tag\":\"" + tag + "\"}");
      return staged.publish(draft(), signer);
    }
  }
}
