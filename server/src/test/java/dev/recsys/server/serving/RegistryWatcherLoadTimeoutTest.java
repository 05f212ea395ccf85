package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version whose load hangs: the poll gives up on it after the load timeout, version 1 keeps
 * serving, a later good version still loads, and when the hung load finally returns its model is
 * closed, not leaked.
 */
class RegistryWatcherLoadTimeoutTest {

  @TempDir Path dir;

  @Test
  void aHangingLoad_isAbandonedAfterTheTimeout_theOldVersionServes_andALaterGoodVersionLoads() throws Exception {
    Path root = TrainedRegistry.copyInto(dir.resolve("registry"));
    ModelRegistry registry = new ModelRegistry(root);
    long hanging = TrainedRegistry.copyVersion(root, 1);
    long good = TrainedRegistry.copyVersion(root, 1);
    ModelBundle bundle = BundleLoads.bundle(registry, TrainedRegistry.MODEL, 1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch hangingClosed = new CountDownLatch(1);
    VersionLoader loader = (version, onClose) -> {
      if (version == hanging) {
        try {
          release.await();
        } catch (InterruptedException e) {
          // cancelled: a load that cannot be interrupted would go on; this one keeps waiting
          try {
            release.await();
          } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
          }
        }
      }
      return BundleLoads.loaded(bundle, version, () -> {
        onClose.run();
        if (version == hanging) {
          hangingClosed.countDown();
        }
      });
    };
    ModelManager manager = new ModelManager();
    RegistryWatcher watcher = new RegistryWatcher(registry, TrainedRegistry.MODEL, loader, manager, Duration.ofMillis(50), Duration.ofMinutes(5),
        Clock.systemUTC(), RegistryWatcher.LoadListener.NONE, Duration.ofMillis(500), 19);
    try {
      watcher.start();
      await(() -> manager.snapshot().production() == 1, "version 1 loads");

      registry.promote(TrainedRegistry.MODEL, "production", hanging, 1.0, "test", "a version whose load hangs");
      // What an admin call does after moving the alias: it must not wait for the load.
      long asked = System.nanoTime();
      watcher.checkSoon();
      assertTrue(System.nanoTime() - asked < TimeUnit.MILLISECONDS.toNanos(200), "checkSoon returns at once while a load hangs");
      await(() -> manager.failures().stream().anyMatch(f -> f.version() == hanging), "the hanging load is reported");
      String reason = manager.failures().stream().filter(f -> f.version() == hanging).findFirst().orElseThrow().reason();
      assertTrue(reason.contains("did not finish loading within 0.5 s"), reason);
      assertEquals(1, manager.snapshot().production(), "version 1 keeps serving");

      registry.promote(TrainedRegistry.MODEL, "production", good, 1.0, "test", "a good version");
      await(() -> manager.snapshot().production() == good, "a later good version loads while the hung load still holds its thread");

      release.countDown();
      assertTrue(hangingClosed.await(30, TimeUnit.SECONDS), "the abandoned load's model is closed once it returns");
      assertTrue(!manager.snapshot().models().containsKey(hanging), "the abandoned version never serves");
    } finally {
      release.countDown();
      watcher.close();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
