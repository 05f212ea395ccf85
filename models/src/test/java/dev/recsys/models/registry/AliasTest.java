package dev.recsys.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.testing.MutableClock;
import dev.recsys.models.testing.TestVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliasTest {

  @TempDir Path root;
  MutableClock clock = MutableClock.atEpochDay();
  ModelRegistry registry;

  @BeforeEach
  void publishFour() throws IOException {
    registry = new ModelRegistry(root, clock);
    for (String tag : List.of("a", "b", "c", "d")) {
      TestVersions.publish(registry, "movies", tag);
    }
  }

  @Test
  void alias_fileMadeHuge_isRefusedWithItsSize_notReadIntoMemory() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops", null);
    java.nio.file.Path file = root.resolve("movies/aliases/production.json");
    try (var out = java.nio.file.Files.newOutputStream(file)) {
      out.write(new byte[(int) AliasStore.MAX_ALIAS_BYTES + 1]);
    }
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> registry.alias("movies", "production"));
    assertTrue(e.getMessage().contains("over the " + AliasStore.MAX_ALIAS_BYTES + " limit"), e.getMessage());
  }

  @Test
  void rollbackOrRemoval_ofAnAliasNeverSet_isNotFound_namingAliasAndModel() throws IOException {
    for (org.junit.jupiter.api.function.Executable change : List.<org.junit.jupiter.api.function.Executable>of(
        () -> registry.rollback("movies", "canary", null, "ops", null),
        () -> registry.removeAlias("movies", "canary", "ops", null))) {
      RegistryException e = assertThrows(RegistryException.class, change);
      assertEquals(RegistryException.Kind.NOT_FOUND, e.kind());
      assertEquals("alias 'canary' of model 'movies' is not set", e.getMessage());
    }
    assertTrue(registry.history("movies").isEmpty(), "nothing written");
  }

  @Test
  void promote_writesAliasAndHistory() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops@host", "first");
    clock.advance(Duration.ofMinutes(1));
    AliasEvent e = registry.promote("movies", "production", 2, 1, "ops@host", "better");

    assertEquals(1, e.fromVersion());
    assertEquals(2, e.toVersion());
    Alias alias = registry.alias("movies", "production").orElseThrow();
    assertEquals(2, alias.version());
    assertEquals("ops@host", alias.updatedBy());
    assertEquals(clock.instant(), alias.updatedAt());
    List<AliasEvent> history = registry.history("movies");
    assertEquals(2, history.size());
    assertEquals("better", history.get(1).reason());
  }

  @Test
  void rollback_walksBackThroughPromotions() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops", null);
    registry.promote("movies", "production", 2, 1, "ops", null);
    registry.promote("movies", "production", 3, 1, "ops", null);

    assertEquals(2, registry.rollback("movies", "production", null, "ops", "bad").toVersion());
    assertEquals(1, registry.rollback("movies", "production", null, "ops", "bad too").toVersion());
    RegistryException e =
        assertThrows(
            RegistryException.class, () -> registry.rollback("movies", "production", null, "ops", null));
    assertEquals(RegistryException.Kind.FAILED_PRECONDITION, e.kind());
    assertEquals(1, registry.alias("movies", "production").orElseThrow().version());
  }

  @Test
  void rollback_skipsVersionsThatBecameInvalid() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops", null);
    registry.promote("movies", "production", 2, 1, "ops", null);
    registry.promote("movies", "production", 3, 1, "ops", null);
    Files.delete(registry.versionDir("movies", 2).resolve("weights.bin"));

    assertEquals(1, registry.rollback("movies", "production", null, "ops", null).toVersion());
  }

  @Test
  void rollback_explicitTarget_andThenUndo() throws IOException {
    registry.promote("movies", "production", 3, 1, "ops", null);
    registry.rollback("movies", "production", 1L, "ops", "pin old");
    assertEquals(1, registry.alias("movies", "production").orElseThrow().version());
    assertEquals(3, registry.rollback("movies", "production", null, "ops", "undo").toVersion());
  }

  @Test
  void promote_invalidOrMissingVersion_isRefusedAndAliasUnchanged() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops", null);
    Files.writeString(registry.versionDir("movies", 4).resolve("weights.bin"), "corrupt!!!!!!!!!!");

    RegistryException corrupt =
        assertThrows(RegistryException.class, () -> registry.promote("movies", "production", 4, 1, "ops", null));
    RegistryException missing =
        assertThrows(RegistryException.class, () -> registry.promote("movies", "production", 9, 1, "ops", null));

    assertEquals(RegistryException.Kind.FAILED_PRECONDITION, corrupt.kind());
    assertEquals(RegistryException.Kind.NOT_FOUND, missing.kind());
    assertEquals(1, registry.alias("movies", "production").orElseThrow().version());
    assertEquals(1, registry.history("movies").size());
  }

  @Test
  void canary_weightMustBeAShare() throws IOException {
    for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
      RegistryException e =
          assertThrows(RegistryException.class, () -> registry.promote("movies", "canary", 2, bad, "ops", null));
      assertEquals(RegistryException.Kind.INVALID_ARGUMENT, e.kind());
    }
    registry.promote("movies", "canary", 2, 0.1, "ops", null);
    assertEquals(0.1, registry.alias("movies", "canary").orElseThrow().weight());
    // Production always takes weight 1, whatever is passed.
    registry.promote("movies", "production", 1, 0.3, "ops", null);
    assertEquals(1.0, registry.alias("movies", "production").orElseThrow().weight());
  }

  @Test
  void removeAlias_canaryRemoved_productionRefused() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops", null);
    registry.promote("movies", "canary", 2, 0.2, "ops", null);

    registry.removeAlias("movies", "canary", "ops", "done");

    assertTrue(registry.alias("movies", "canary").isEmpty());
    assertEquals(List.of("production"), registry.aliases("movies").stream().map(Alias::name).toList());
    assertThrows(RegistryException.class, () -> registry.removeAlias("movies", "production", "ops", null));
  }

  @Test
  void alias_readersDuringPromotions_alwaysSeeAWholeAlias() throws Exception {
    registry.promote("movies", "production", 1, 1, "ops", null);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> readers =
        List.of(
            pool.submit(() -> readUntil(stop, reads)), pool.submit(() -> readUntil(stop, reads)));
    for (int i = 0; i < 200; i++) {
      registry.promote("movies", "production", 1 + (i % 4), 1, "ops", null);
    }
    stop.set(true);
    for (Future<?> r : readers) {
      r.get();
    }
    pool.shutdown();
    assertTrue(reads.get() > 0);
    assertEquals(201, registry.history("movies").size());
  }

  private Void readUntil(AtomicBoolean stop, AtomicInteger reads) throws IOException {
    ModelRegistry reader = new ModelRegistry(root);
    while (!stop.get()) {
      long v = reader.alias("movies", "production").orElseThrow().version();
      assertTrue(v >= 1 && v <= 4);
      reads.incrementAndGet();
    }
    return null;
  }

  @Test
  void promote_concurrentPromoters_loseNoHistory() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Void>> tasks = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      tasks.add(
          pool.submit(
              () -> {
                ModelRegistry own = new ModelRegistry(root);
                for (int i = 0; i < 25; i++) {
                  own.promote("movies", "production", 1 + ((id + i) % 4), 1, "ops-" + id, null);
                }
                return null;
              }));
    }
    for (Future<Void> t : tasks) {
      t.get();
    }
    pool.shutdown();
    List<AliasEvent> history = registry.history("movies");
    assertEquals(100, history.size());
    // Each event's "from" is the previous event's "to": no interleaved read-modify-write.
    for (int i = 1; i < history.size(); i++) {
      assertEquals(history.get(i - 1).toVersion(), history.get(i).fromVersion());
    }
  }

  @Test
  void retain_keepsNewestAndAliased_andCleansStaleStaging() throws IOException {
    registry.promote("movies", "production", 1, 1, "ops", null);
    try (StagedVersion abandoned = registry.stage("movies")) {
      Files.writeString(abandoned.file("weights.bin", "w"), "x");
      // Simulate a crashed trainer: the folder stays (no close) and ages.
      Files.setLastModifiedTime(abandoned.dir(), java.nio.file.attribute.FileTime.from(clock.instant()));
      clock.advance(Duration.ofDays(2));

      ModelRegistry.RetentionResult result = registry.retain("movies", 2, Duration.ofDays(1));

      assertEquals(List.of(2L), result.deletedVersions());
      assertEquals(1, result.deletedStagingFolders());
      assertEquals(List.of(1L, 3L, 4L), registry.versionNumbers("movies"));
    }
  }
}
