package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression: an Error thrown while loading a version cancelled the registry poll for good. */
class RegistryWatcherErrorTest {

  @TempDir Path dir;

  @Test
  void poll_loadThrowsAnError_isRecordedAsAFailure_andPollingGoesOn() throws Exception {
    Path root = TrainedRegistry.copyInto(dir.resolve("registry"));
    ModelRegistry registry = new ModelRegistry(root);
    ModelBundle bundle = BundleLoads.bundle(registry, TrainedRegistry.MODEL, 1);
    AtomicInteger calls = new AtomicInteger();
    VersionLoader loader = (version, onClose) -> {
      if (calls.incrementAndGet() == 1) {
        throw new StackOverflowError();
      }
      return BundleLoads.loaded(bundle, version, onClose);
    };
    ModelManager manager = new ModelManager();
    RegistryWatcher watcher = new RegistryWatcher(registry, TrainedRegistry.MODEL, loader, manager, Duration.ofMillis(50), Duration.ZERO,
        Clock.systemUTC(), RegistryWatcher.LoadListener.NONE);
    try {
      watcher.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (manager.snapshot().production() != 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, manager.snapshot().production(), "the poll kept running after the Error and loaded the version");
      assertTrue(manager.failures().stream().anyMatch(f -> f.reason().contains("StackOverflowError")), manager.failures().toString());
    } finally {
      watcher.close();
    }
  }
}
