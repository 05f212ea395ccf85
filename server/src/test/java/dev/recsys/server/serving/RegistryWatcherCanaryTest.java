package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the poll serves when a production or canary version cannot load, polled again and again. */
class RegistryWatcherCanaryTest {

  @TempDir Path dir;
  ModelRegistry registry;
  ModelBundle bundle;
  final Set<Long> refused = ConcurrentHashMap.newKeySet();
  final Map<Long, AtomicInteger> loads = new ConcurrentHashMap<>();
  final AtomicInteger opened = new AtomicInteger();
  ModelManager manager;
  RegistryWatcher watcher;

  @BeforeEach
  void registryWithThreeVersions() throws Exception {
    Path root = TrainedRegistry.copyInto(dir.resolve("registry"));
    registry = new ModelRegistry(root);
    bundle = BundleLoads.bundle(registry, TrainedRegistry.MODEL, 1);
    TrainedRegistry.copyVersion(root, 1);
    TrainedRegistry.copyVersion(root, 1);
    VersionLoader loader = (version, onClose) -> {
      loads.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
      if (refused.contains(version)) {
        throw new ModelLoader.LoadException("version " + version + " refused by the test", null);
      }
      opened.incrementAndGet();
      return BundleLoads.loaded(bundle, version, onClose);
    };
    manager = new ModelManager();
    // No wait before a refused version is tried again: every poll retries it.
    watcher = new RegistryWatcher(registry, TrainedRegistry.MODEL, loader, manager, Duration.ofMinutes(10), Duration.ZERO, Clock.systemUTC(),
        RegistryWatcher.LoadListener.NONE);
  }

  @AfterEach
  void stopPolling() {
    watcher.close();
  }

  private void promote(String alias, long version, double weight) throws Exception {
    registry.promote(TrainedRegistry.MODEL, alias, version, weight, "test", "test");
  }

  @Test
  void aCanaryIsNotLoaded_whileNoProductionVersionCanServe() throws Exception {
    promote(Alias.PRODUCTION, 1, 1);
    promote(Alias.CANARY, 2, 0.1);
    refused.add(1L);
    for (int i = 0; i < 3; i++) {
      watcher.checkNow();
    }
    assertEquals(0, manager.snapshot().production(), "nothing serves");
    assertEquals(3, loads.get(1L).get(), "production is tried at every poll");
    assertNull(loads.get(2L), "the canary is not loaded on its own (it was loaded and leaked at every poll)");
    assertEquals(0, opened.get());
  }

  @Test
  void aNewCanaryThatFailsToLoad_leavesTheServingCanaryAtTheShareItWasGiven() throws Exception {
    promote(Alias.PRODUCTION, 1, 1);
    promote(Alias.CANARY, 2, 0.05);
    watcher.checkNow();
    assertEquals(new Snapshot(manager.snapshot().models(), 1, 2, 0.05), manager.snapshot());
    refused.add(3L);
    promote(Alias.CANARY, 3, 0.5);
    watcher.checkNow();
    watcher.checkNow();
    Snapshot now = manager.snapshot();
    assertEquals(2, now.canary(), "version 3 did not load: version 2 goes on as canary");
    assertEquals(0.05, now.canaryWeight(), "at its own 5%, not the 50% meant for version 3");
    assertEquals(2, loads.get(3L).get());
  }

  @Test
  void aCanaryAliasOnTheProductionVersion_publishesOnce_notAtEveryPoll() throws Exception {
    promote(Alias.PRODUCTION, 1, 1);
    promote(Alias.CANARY, 2, 0.1);
    watcher.checkNow();
    promote(Alias.PRODUCTION, 2, 1);
    watcher.checkNow();
    Snapshot afterPromotion = manager.snapshot();
    assertEquals(new Snapshot(afterPromotion.models(), 2, 0, 0), afterPromotion);
    watcher.checkNow();
    watcher.checkNow();
    assertSame(afterPromotion, manager.snapshot(), "the same snapshot object: nothing published again");
  }
}
