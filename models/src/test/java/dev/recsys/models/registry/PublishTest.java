package dev.recsys.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.io.Sha256;
import dev.recsys.models.manifest.ArtifactFile;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import dev.recsys.models.testing.TestVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishTest {

  @TempDir Path root;

  @Test
  void publish_numbersVersionsFromOne_andRecordsChecksums() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    Manifest first = TestVersions.publish(registry, "movies", "a");
    Manifest second = TestVersions.publish(registry, "movies", "b");

    assertEquals(1, first.version());
    assertEquals(2, second.version());
    assertEquals(List.of(1L, 2L), registry.versionNumbers("movies"));
    Manifest onDisk = ManifestCodec.read(registry.versionDir("movies", 2).resolve("manifest.json"));
    assertEquals(2, onDisk.version());
    for (ArtifactFile f : onDisk.files()) {
      Path p = registry.versionDir("movies", 2).resolve(f.name());
      assertEquals(Files.size(p), f.sizeBytes());
      assertEquals(Sha256.of(p), f.sha256());
    }
    assertTrue(registry.verify("movies", 2).valid());
    assertTrue(registry.verify("movies", 2).checksumsVerified());
  }

  @Test
  void publish_concurrentPublishers_neverShareANumber() throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    int publishers = 8;
    int each = 6;
    CyclicBarrier start = new CyclicBarrier(publishers);
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      int id = p;
      Callable<List<Long>> task =
          () -> {
            // Each publisher uses its own registry instance, as separate processes would.
            ModelRegistry own = new ModelRegistry(root);
            start.await();
            List<Long> got = new ArrayList<>();
            for (int i = 0; i < each; i++) {
              got.add(TestVersions.publish(own, "movies", id + "-" + i).version());
            }
            return got;
          };
      results.add(pool.submit(task));
    }
    Set<Long> all = new HashSet<>();
    for (Future<List<Long>> r : results) {
      for (long v : r.get()) {
        assertTrue(all.add(v), "version " + v + " handed out twice");
      }
    }
    pool.shutdown();
    assertEquals(publishers * each, all.size());
    assertEquals(publishers * each, registry.versionNumbers("movies").size());
    for (long v : all) {
      VersionCheck check = registry.verify("movies", v);
      assertTrue(check.valid(), check.problem());
      assertEquals(v, check.manifest().version());
    }
    assertEquals(0, stagingLeftovers(root.resolve("movies")));
  }

  @Test
  void publish_separateProcesses_neverShareANumber() throws Exception {
    int processes = 3;
    int each = 4;
    List<Process> running = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      running.add(
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  PublisherProcess.class.getName(),
                  root.toString(),
                  "movies",
                  Integer.toString(each))
              .redirectErrorStream(true)
              .start());
    }
    for (Process p : running) {
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), out);
    }
    ModelRegistry registry = new ModelRegistry(root);
    assertEquals(processes * each, registry.versionNumbers("movies").size());
    assertEquals(processes * each, registry.versions("movies").stream().filter(VersionCheck::valid).count());
  }

  /**
   * A publisher killed with SIGKILL (no shutdown hooks, no finally blocks) at random moments, over
   * and over, while it publishes versions of 2 MB: every version a reader can see is complete
   * and valid, the next publish works, and retention removes what the killed writers left in staging.
   */
  @Test
  void publish_killedWithSigkillAtRandomMoments_leavesOnlyCompleteVersions() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(2026);
    for (int round = 0; round < 5; round++) {
      Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
          PublisherProcess.class.getName(), root.toString(), "movies", "100000", Integer.toString(2 << 20))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Thread.sleep(700 + random.nextInt(900));
      p.destroyForcibly(); // SIGKILL on Unix
      assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
    }
    ModelRegistry registry = new ModelRegistry(root);
    List<VersionCheck> visible = registry.versions("movies");
    assertFalse(visible.isEmpty(), "the publishers got some versions out before being killed");
    for (VersionCheck check : visible) {
      assertTrue(check.valid(), "version " + check.version() + ": " + check.problem());
    }

    long next = TestVersions.publish(registry, "movies", "after the crashes").version();
    assertTrue(registry.verify("movies", next).valid());
    assertTrue(next > visible.getFirst().version());

    // Keeping the newest two: exactly the older complete versions go, with the killed writers' staging.
    List<Long> before = registry.versionNumbers("movies");
    // Two hours on, the killed writers' staging folders are past the shortest staleness accepted (an hour).
    var later = new ModelRegistry(root, java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(2)));
    var retained = later.retain("movies", 2, ModelRegistry.MIN_STALE_STAGING);
    assertEquals(0, stagingLeftovers(root.resolve("movies")), "retention removes abandoned staging folders");
    assertEquals(before.subList(0, before.size() - 2), retained.deletedVersions(), "the older complete versions, and only those");
    assertEquals(before.subList(before.size() - 2, before.size()), registry.versionNumbers("movies"));
    for (long v : registry.versionNumbers("movies")) {
      assertTrue(registry.verify("movies", v).valid(), "kept version " + v);
    }
  }

  /** Below an hour a live publication's staging folder could count as abandoned; beyond ten years the cutoff is no instant. */
  @Test
  void retain_stalenessOutsideItsRange_isRefusedByValue_beforeAnythingIsDeleted() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    long v = TestVersions.publish(registry, "movies", "one").version();
    for (java.time.Duration bad : List.of(java.time.Duration.ZERO, java.time.Duration.ofHours(-1), java.time.Duration.ofHours(24L * 3651))) {
      RegistryException e = assertThrows(RegistryException.class, () -> registry.retain("movies", 1, bad));
      assertTrue(e.getMessage().contains("[1, 87600] hours, got " + bad.toHours()), e.getMessage());
    }
    assertEquals(List.of(v), registry.versionNumbers("movies"));
  }

  @Test
  void stage_closedWithoutPublish_leavesNothingVisible() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    try (StagedVersion staged = registry.stage("movies")) {
      Files.writeString(staged.file("weights.bin", "weights"), "half written");
    }
    assertTrue(registry.versionNumbers("movies").isEmpty());
    assertEquals(0, stagingLeftovers(root.resolve("movies")));
  }

  @Test
  void publish_declaredFileMissing_isRefused() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    try (StagedVersion staged = registry.stage("movies")) {
      staged.file("weights.bin", "weights");
      RegistryException e =
          assertThrows(RegistryException.class, () -> staged.publish(TestVersions.draft()));
      assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
    }
    assertTrue(registry.versionNumbers("movies").isEmpty());
  }

  @Test
  void publish_undeclaredFile_isRefused() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    try (StagedVersion staged = registry.stage("movies")) {
      Files.writeString(staged.file("weights.bin", "weights"), "w");
      Files.writeString(staged.dir().resolve("stray.tmp"), "x");
      RegistryException e =
          assertThrows(RegistryException.class, () -> staged.publish(TestVersions.draft()));
      assertTrue(e.getMessage().contains("stray.tmp"), e.getMessage());
    }
  }

  @Test
  void stage_pathLikeFileName_isRejected() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    try (StagedVersion staged = registry.stage("movies")) {
      for (String bad : List.of("../escape", "/etc/passwd", "a/b", ".hidden", "..", "")) {
        assertThrows(IllegalArgumentException.class, () -> staged.file(bad, "x"), bad);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> registry.stage("../other"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "leftover folder with junk: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void publish_numberTakenByAFolderLeftBehind_emptyOrNot_stillPublishesUnderANewNumber(boolean junk)
      throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    TestVersions.publish(registry, "movies", "a");
    // A folder left at the next number (an interrupted copy; rename(2) would even replace it when
    // empty) must not be published into.
    Files.createDirectories(root.resolve("movies/2"));
    if (junk) {
      Files.writeString(root.resolve("movies/2/junk"), "x");
    }
    try (Stream<Path> s = Files.list(root.resolve("movies/2"))) {
      assertEquals(junk ? 1 : 0, s.count(), "the leftover folder is " + (junk ? "not " : "") + "empty");
    }
    Manifest m = TestVersions.publish(registry, "movies", "b");
    assertEquals(3, m.version());
    assertFalse(registry.verify("movies", 2).valid());
    assertTrue(registry.verify("movies", 3).valid());
  }

  static long stagingLeftovers(Path modelDir) throws IOException {
    Path staging = modelDir.resolve(".staging");
    if (!Files.isDirectory(staging)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(staging)) {
      return s.count();
    }
  }
}
