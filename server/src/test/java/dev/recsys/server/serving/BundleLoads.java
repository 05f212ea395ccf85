package dev.recsys.server.serving;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.server.engine.ModelEngine;
import dev.recsys.server.engine.VectorCache;
import dev.recsys.server.scoring.CpuScoring;
import java.io.IOException;
import java.time.Instant;

/** For watcher tests: one bundle loaded once, served as any version a test loader is asked for. */
final class BundleLoads {

  private BundleLoads() {}

  /** The bundle of {@code version} of the test registry's model. */
  static ModelBundle bundle(ModelRegistry registry, String model, long version) throws IOException {
    VersionCheck v = registry.verify(model, version);
    return ModelBundle.load(v.dir(), v.manifest(), true);
  }

  /** {@code bundle} served as {@code version} on the CPU kernel. */
  static LoadedModel loaded(ModelBundle bundle, long version, Runnable onClose) {
    ModelEngine engine = new ModelEngine(version, bundle, new CpuScoring(bundle.ranking().movies()), VectorCache.NONE);
    return new LoadedModel(engine, Instant.now(), 0.1, onClose);
  }
}
