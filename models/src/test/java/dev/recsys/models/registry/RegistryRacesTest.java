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
}
