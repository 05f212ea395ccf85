package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.server.engine.ModelEngine;
import dev.recsys.server.engine.RequestException;
import dev.recsys.server.engine.VectorCache;
import dev.recsys.server.scoring.CpuScoring;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases keep a retired version alive exactly as long as a request holds it. */
class ModelManagerTest {

  @TempDir static Path dir;
  static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    VersionCheck v = new ModelRegistry(registry).verify(TrainedRegistry.MODEL, 1);
    bundle = ModelBundle.load(v.dir(), v.manifest(), true);
  }

  static LoadedModel model(long version, AtomicInteger closed) {
    ModelEngine engine = new ModelEngine(version, bundle, new CpuScoring(bundle.ranking().movies()), VectorCache.NONE);
    return new LoadedModel(engine, Instant.now(), 0.1, closed::incrementAndGet);
  }

  @Test
  void acquire_beforeAnything_isUnavailable() {
    RequestException e = assertThrows(RequestException.class, () -> new ModelManager().acquire(null, 1));
    assertEquals(RequestException.Kind.UNAVAILABLE, e.kind());
  }

  @Test
  void retiredVersion_closesOnlyAfterItsLastLease() {
    ModelManager manager = new ModelManager();
    AtomicInteger closedV1 = new AtomicInteger();
    AtomicInteger closedV2 = new AtomicInteger();
    LoadedModel v1 = model(1, closedV1);
    manager.publish(Map.of(1L, v1), 1, 0, 0);

    Lease held = manager.acquire(null, 42);
    assertEquals(1, held.version());
    assertEquals(1, v1.inFlight());

    manager.publish(Map.of(2L, model(2, closedV2)), 2, 0, 0);
    assertEquals(0, closedV1.get(), "closed while a request still holds it");
    assertFalse(v1.closed());
    assertEquals(List.of(v1), manager.retiring(), "retired but still loaded: listed (GetServingStatus shows it without a route)");
    try (Lease next = manager.acquire(null, 42)) {
      assertEquals(2, next.version());
    }

    held.close();
    held.close();
    assertEquals(1, closedV1.get());
    assertTrue(v1.closed());
    assertEquals(List.of(), manager.retiring(), "closed: gone");
    assertEquals(0, closedV2.get());
  }

  @Test
  void pinned_servesOnlyLoadedVersions() {
    ModelManager manager = new ModelManager();
    manager.publish(Map.of(3L, model(3, new AtomicInteger())), 3, 0, 0);
    try (Lease l = manager.acquire(3L, 0)) {
      assertEquals("pinned", l.route());
    }
    assertEquals(RequestException.Kind.NOT_FOUND, assertThrows(RequestException.class, () -> manager.acquire(9L, 0)).kind());
  }

  @Test
  void canaryRouting_isStickyAndProportional() {
    ModelManager manager = new ModelManager();
    manager.publish(Map.of(1L, model(1, new AtomicInteger()), 2L, model(2, new AtomicInteger())), 1, 2, 0.25);
    int canary = 0;
    for (long user = 0; user < 20_000; user++) {
      String route = manager.snapshot().routeOf(user);
      assertEquals(route, manager.snapshot().routeOf(user));
      canary += route.equals("canary") ? 1 : 0;
    }
    assertEquals(0.25, canary / 20_000.0, 0.02);
  }
}
