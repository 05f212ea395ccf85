package dev.recsys.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.testing.TestVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention against concurrent alias changes, and registry folders that are links. */
class RegistryRacesTest {

  @TempDir Path root;

  @Test
  void retain_waitsForTheAliasLock_andKeepsAVersionAnAliasWasMovedToMeanwhile() throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    for (String tag : List.of("a", "b", "c")) {
      TestVersions.publish(registry, "movies", tag);
    }
    registry.promote("movies", Alias.PRODUCTION, 3, 1.0, "test", "newest");
    CompletableFuture<ModelRegistry.RetentionResult> retention;
    // An alias change in progress (its lock held) that rolls production back to version 1.
    try (RegistryLock lock = RegistryLock.acquire(root.resolve("movies/aliases/.lock"), "rollback", Clock.systemUTC(),
        Duration.ofSeconds(30), Duration.ofSeconds(5))) {
      retention = CompletableFuture.supplyAsync(() -> {
        try {
          return registry.retain("movies", 1, Duration.ofDays(1));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Thread.sleep(300);
      assertFalse(retention.isDone(), "retention waits for the alias change to finish");
      AtomicFiles.write(root.resolve("movies/aliases/production.json"), Json.MAPPER.writeValueAsBytes(
          new Alias(Alias.PRODUCTION, 1, 1.0, Instant.now(), "rollback", "rolled back while retention ran")));
    }
    ModelRegistry.RetentionResult result = retention.get(30, TimeUnit.SECONDS);
    assertEquals(List.of(2L), result.deletedVersions(), "version 1 is aliased again by now and is kept");
    assertTrue(registry.verify("movies", 1).valid());
  }

  @Test
  void handEditedOrHostileAliasFiles_areRefusedNamingTheField() throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    TestVersions.publish(registry, "movies", "a");
    registry.promote("movies", Alias.PRODUCTION, 1, 1.0, "test", "first");
    Path file = root.resolve("movies/aliases/production.json");
    String good = Files.readString(file);
    String[][] cases = {
        {good.replaceFirst("\"version\"\\s*:\\s*1", "\"version\" : -5"), "points at version -5"},
        {good.replaceFirst("\"weight\"\\s*:\\s*1.0", "\"weight\" : 7.5"), "has weight 7.5"},
        {good.replaceFirst("\"name\"\\s*:\\s*\"production\"", "\"name\" : \"canary\""), "names alias 'canary'"},
        {"null", "is empty"},
        {"{\"name\": ", "is unreadable"},
    };
    for (String[] c : cases) {
      assertFalse(c[0].equals(good), "the edit changed the file: " + c[1]);
      Files.writeString(file, c[0]);
      RegistryException e = assertThrows(RegistryException.class, () -> registry.alias("movies", Alias.PRODUCTION), c[1]);
      assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("production.json"), e.getMessage());
    }
    Files.writeString(root.resolve("movies/aliases/history.json"), "[{\"alias\": null, \"to_version\": -1}]");
    RegistryException h = assertThrows(RegistryException.class, () -> registry.history("movies"));
    assertTrue(h.getMessage().contains("malformed event at position 0"), h.getMessage());
    // Without its time (a hand-edited file): refused by name, where `registry list` printed "error: temporal".
    Files.writeString(root.resolve("movies/aliases/history.json"), "[{\"alias\": \"production\", \"action\": \"promote\", \"to_version\": 1}]");
    h = assertThrows(RegistryException.class, () -> registry.history("movies"));
    assertTrue(h.getMessage().contains("malformed event at position 0 (alias, action and time required"), h.getMessage());
  }

  @Test
  void aStagingFolderThatIsALink_isRefused_andWhatItPointsAtIsUntouched() throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    TestVersions.publish(registry, "other", "precious");
    TestVersions.publish(registry, "movies", "a");
    Path staging = root.resolve("movies/.staging");
    if (Files.exists(staging)) {
      dev.recsys.models.io.FileTrees.deleteRecursively(staging);
    }
    Files.createSymbolicLink(staging, root.resolve("other"));
    // Old enough that retention would delete whatever it finds under the link.
    Files.setLastModifiedTime(root.resolve("other/1"), java.nio.file.attribute.FileTime.fromMillis(0));

    RegistryException retain = assertThrows(RegistryException.class, () -> registry.retain("movies", 1, Duration.ofHours(1)));
    assertTrue(retain.getMessage().contains("is a symbolic link"), retain.getMessage());
    RegistryException stage = assertThrows(RegistryException.class, () -> registry.stage("movies"));
    assertTrue(stage.getMessage().contains("is a symbolic link"), stage.getMessage());
    assertTrue(registry.verify("other", 1).valid(), "the other model's version is untouched");
  }

  /**
   * Another JVM rolls production back and promotes the newest version, over and over, while this one
   * publishes a version and runs retention (keep 1) in a loop: under the alias lock, every alias must
   * point at a version that exists and verifies, every time it is looked at.
   */
  @Test
  void retain_racingRollbackInAnotherProcess_neverDeletesAnAliasedVersion() throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    for (int i = 0; i < 3; i++) {
      TestVersions.publish(registry, "movies", "start-" + i);
      registry.promote("movies", Alias.PRODUCTION, i + 1, 1.0, "test", "start");
    }
    Process other = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
        AliasProcess.class.getName(), root.toString(), "movies", "150").redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(other.getInputStream().readAllBytes());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    AliasStore aliases = new AliasStore(root.resolve("movies"), Clock.systemUTC());
    int deleted = 0;
    int checks = 0;
    for (int i = 0; other.isAlive() && i < 400; i++) {
      TestVersions.publish(registry, "movies", "loop-" + i);
      deleted += registry.retain("movies", 1, Duration.ofDays(1)).deletedVersions().size();
      checks += aliases.locked("test", lease -> {
        for (Alias a : aliases.readAll()) {
          VersionCheck check = registry.verify("movies", a.version());
          assertTrue(check.valid(), "alias " + a.name() + " points at version " + a.version() + ": " + check.problem());
        }
        return 1;
      });
    }
    assertTrue(other.waitFor(60, TimeUnit.SECONDS), "the alias process finished");
    String out = output.get(10, TimeUnit.SECONDS);
    assertEquals(0, other.exitValue(), out);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("rollbacks (\\d+)").matcher(out);
    assertTrue(m.find(), out);
    assertTrue(Integer.parseInt(m.group(1)) > 0, "some rollbacks won the race: " + out);
    assertTrue(out.contains(" lost 0"), "a version production was rolled back to was deleted under it: " + out);
    assertTrue(deleted > 0 && checks > 0, "retention deleted " + deleted + " versions over " + checks + " checks");
    for (Alias a : registry.aliases("movies")) {
      assertTrue(registry.verify("movies", a.version()).valid(), "alias " + a.name() + " -> " + a.version());
    }
  }

  /**
   * An alias change whose lease was broken while it stalled (here: the clock jumps past the stale
   * limit inside the change and another owner takes the lock) writes nothing, neither the history
   * nor the alias, and says why.
   */
  @Test
  void aliasChange_whoseLeaseWasBrokenWhileItStalled_writesNothing() throws Exception {
    dev.recsys.models.testing.MutableClock clock = dev.recsys.models.testing.MutableClock.atEpochDay();
    ModelRegistry registry = new ModelRegistry(root, clock);
    TestVersions.publish(registry, "movies", "a");
    TestVersions.publish(registry, "movies", "b");
    registry.promote("movies", Alias.PRODUCTION, 1, 1.0, "test", "first");
    AliasStore store = new AliasStore(root.resolve("movies"), clock);
    byte[] historyBefore = Files.readAllBytes(root.resolve("movies/aliases/history.json"));
    RegistryLock[] usurper = new RegistryLock[1];

    RegistryException e = assertThrows(RegistryException.class, () -> store.change(Alias.PRODUCTION, "slow", (current, history) -> {
      clock.advance(Duration.ofMinutes(5));
      usurper[0] = RegistryLock.acquire(root.resolve("movies/aliases/.lock"), "usurper", clock, Duration.ofSeconds(30), Duration.ofSeconds(1));
      return new AliasEvent(clock.instant(), "slow", Alias.PRODUCTION, AliasEvent.PROMOTE, 1, 2, 1.0, "too late");
    }));

    assertEquals(RegistryException.Kind.CONFLICT, e.kind());
    assertTrue(e.getMessage().contains("broken as stale") && e.getMessage().contains("usurper"), e.getMessage());
    assertEquals(1, registry.alias("movies", Alias.PRODUCTION).orElseThrow().version());
    org.junit.jupiter.api.Assertions.assertArrayEquals(historyBefore, Files.readAllBytes(root.resolve("movies/aliases/history.json")));
    usurper[0].close();
  }
}
