package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rehearsal loads: the process's first version is loaded again and closed before it is published,
 * once per process; a rehearsal that fails leaves the version served as loaded.
 */
class RegistryWatcherRehearsalTest {

  @TempDir Path dir;

  /** What the test loader saw and did. */
  private record Load(long version, boolean servingWhenAsked) {}

  @Test
  void theFirstVersion_isRehearsedBeforeItServes_theCopiesAreClosed_andLaterPromotionsAreNot() throws Exception {
    Path root = TrainedRegistry.copyInto(dir.resolve("registry"));
    ModelRegistry registry = new ModelRegistry(root);
    long second = TrainedRegistry.copyVersion(root, 1);
    ModelBundle bundle = BundleLoads.bundle(registry, TrainedRegistry.MODEL, 1);
    ModelManager manager = new ModelManager();
    List<Load> loads = new CopyOnWriteArrayList<>();
    List<LoadedModel> made = new CopyOnWriteArrayList<>();
    VersionLoader loader = (version, onClose) -> {
      loads.add(new Load(version, manager.snapshot().serving()));
      LoadedModel m = BundleLoads.loaded(bundle, version, onClose);
      made.add(m);
      return m;
    };
    AtomicInteger closedEvents = new AtomicInteger();
    RegistryWatcher.LoadListener listener = new RegistryWatcher.LoadListener() {
      @Override
      public void loaded(long version, double seconds) {}

      @Override
      public void failed(long version, String reason, double seconds) {}

      @Override
      public void closed(long version) {
        closedEvents.incrementAndGet();
      }
    };
    try (RegistryWatcher watcher = new RegistryWatcher(registry, TrainedRegistry.MODEL, loader, manager, Duration.ofMinutes(5),
        Duration.ofMinutes(5), Clock.systemUTC(), listener, Duration.ofMinutes(1), 0, 2)) {
      watcher.checkNow();
      assertEquals(List.of(new Load(1, false), new Load(1, false), new Load(1, false)), loads,
          "loaded once to serve and twice more to rehearse, all before the version serves");
      assertEquals(1, manager.snapshot().production());
      assertTrue(manager.snapshot().models().get(1L) == made.get(0), "the copy loaded first serves");
      assertFalse(made.get(0).closed());
      assertTrue(made.get(1).closed() && made.get(2).closed(), "rehearsal copies are closed at once");
      assertEquals(0, closedEvents.get(), "a rehearsal copy's close is not reported as a served version's release");

      registry.promote(TrainedRegistry.MODEL, "production", second, 1.0, "test", "a promotion");
      watcher.checkNow();
      assertEquals(new Load(second, true), loads.get(3));
      assertEquals(4, loads.size(), "a promotion loads its version once: rehearsals run once per process");
      assertEquals(second, manager.snapshot().production());
      assertEquals(1, closedEvents.get(), "the version it replaced is released");
    }
  }

  @Test
  void aFailingRehearsal_leavesTheVersionServedAsLoaded() throws Exception {
    Path root = TrainedRegistry.copyInto(dir.resolve("registry"));
    ModelRegistry registry = new ModelRegistry(root);
    ModelBundle bundle = BundleLoads.bundle(registry, TrainedRegistry.MODEL, 1);
    ModelManager manager = new ModelManager();
    AtomicInteger calls = new AtomicInteger();
    VersionLoader loader = (version, onClose) -> {
      if (calls.incrementAndGet() == 2) {
        throw new ModelLoader.LoadException("version " + version + " refused: the disk went away", null);
      }
      return BundleLoads.loaded(bundle, version, onClose);
    };
    try (RegistryWatcher watcher = new RegistryWatcher(registry, TrainedRegistry.MODEL, loader, manager, Duration.ofMinutes(5),
        Duration.ofMinutes(5), Clock.systemUTC(), RegistryWatcher.LoadListener.NONE, Duration.ofMinutes(1), 0, 3)) {
      watcher.checkNow();
      assertEquals(2, calls.get(), "the rehearsals stop at the first failure");
      assertEquals(1, manager.snapshot().production(), "the version loaded before the failed rehearsal serves");
      assertTrue(manager.failures().isEmpty(), "a failed rehearsal is not a failed load of the version");
    }
  }
}
