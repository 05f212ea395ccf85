package dev.recsys.server.testing;

import dev.recsys.models.console.Cli;
import dev.recsys.models.io.FileTrees;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.StagedVersion;
import dev.recsys.models.registry.VersionDraft;
import dev.recsys.trainer.cli.TrainerCommand;
import dev.recsys.trainer.testing.Fixtures;
import dev.recsys.trainer.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A registry with a real model trained on MovieLens ml-100k (small settings), trained once per test
 * JVM and copied for each test that changes a registry. Also derives further versions: exact copies
 * (for swap tests) and damaged ones (for fault tests).
 */
public final class TrainedRegistry {

  public static final String MODEL = "movielens";

  private static Path trained;

  private TrainedRegistry() {}

  /** A fresh copy of the trained registry in {@code dir} (version 1, promoted to production). */
  public static synchronized Path copyInto(Path dir) {
    try {
      if (trained == null) {
        Fixtures.data("ml-100k");
        Path base = Files.createTempDirectory("recsys-trained-");
        // One point of each top-N search space: real models, without the whole grid.
        Path params = Files.writeString(base.resolve("params.json"),
            "{\"ease_lambda\": 200, \"ease_neighbors\": 200, \"ials_dim\": 16, \"ials_unobserved\": 0.1, \"ials_l2\": 0.01}");
        int code = Cli.run(new TrainerCommand(), "train", "--data", TestData.archive("ml-100k").toString(), "--registry",
            base.resolve("registry").toString(), "--name", MODEL, "--promote", "production", "--mf-dim", "16", "--mf-epochs", "4",
            "--trees", "15", "--bpr-dim", "16", "--bpr-epochs", "6", "--seed", "7", "--params", params.toString());
        if (code != 0) {
          throw new IllegalStateException("training the test model failed with exit code " + code);
        }
        trained = base.resolve("registry");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            FileTrees.deleteRecursively(base);
          } catch (IOException ignored) {
            // temp folder
          }
        }));
      }
      copy(trained, dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Changes one artifact of a staged copy before it is published (checksums then match the damage). */
  @FunctionalInterface
  public interface Edit {
    void apply(Path stagedDir) throws IOException;
  }

  /**
   * Publishes a copy of {@code version} as a new version, after {@code edit} changed the staged
   * files; the manifest's checksums describe the edited files, so only the loader's own checks can
   * refuse it.
   */
  public static long republish(Path registryDir, long version, Edit edit) throws IOException {
    return republish(registryDir, version, java.util.Set.of(), edit);
  }

  /** An exact copy of {@code version} under the next number, its manifest signed by {@code signer}. */
  public static long copySigned(Path registryDir, long version, dev.recsys.models.signing.SigningKey signer) throws IOException {
    return republish(registryDir, version, java.util.Set.of(), dir -> {}, signer);
  }

  /** As {@link #republish(Path, long, Edit)}, leaving out the artifacts named in {@code without} (from folder and manifest). */
  public static long republish(Path registryDir, long version, java.util.Set<String> without, Edit edit) throws IOException {
    return republish(registryDir, version, without, edit, null);
  }

  private static long republish(Path registryDir, long version, java.util.Set<String> without, Edit edit,
      dev.recsys.models.signing.SigningKey signer) throws IOException {
    ModelRegistry registry = new ModelRegistry(registryDir);
    Path source = registry.versionDir(MODEL, version);
    Manifest m = ManifestCodec.read(source.resolve(Manifest.FILE_NAME));
    try (StagedVersion staged = registry.stage(MODEL)) {
      for (var f : m.files()) {
        if (!without.contains(f.name())) {
          Files.copy(source.resolve(f.name()), staged.file(f.name(), f.role()));
        }
      }
      edit.apply(staged.dir());
      return staged.publish(new VersionDraft(m.dataset(), m.lineage(), m.hyperParameters(), m.metrics(), m.serving()), signer).version();
    }
  }

  /** An exact copy of {@code version} under the next number. */
  public static long copyVersion(Path registryDir, long version) throws IOException {
    return republish(registryDir, version, dir -> {});
  }
}
