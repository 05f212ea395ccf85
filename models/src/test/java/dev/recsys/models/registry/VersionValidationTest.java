package dev.recsys.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.testing.TestVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionValidationTest {

  @TempDir Path root;

  interface Damage {
    void apply(Path versionDir) throws IOException;
  }

  static Stream<Arguments> damages() {
    return Stream.of(
        Arguments.of("no manifest", (Damage) v -> Files.delete(v.resolve("manifest.json")), "partial version"),
        Arguments.of("missing file", (Damage) v -> Files.delete(v.resolve("weights.bin")), "missing file weights.bin"),
        Arguments.of("truncated file", (Damage) v -> Files.writeString(v.resolve("weights.bin"), "w"), "size mismatch in weights.bin"),
        Arguments.of(
            "same size, other bytes",
            (Damage) v -> {
              byte[] b = Files.readAllBytes(v.resolve("weights.bin"));
              b[0] ^= 1;
              Files.write(v.resolve("weights.bin"), b);
            },
            "checksum mismatch in weights.bin"),
        Arguments.of(
            "future format",
            (Damage) v -> replaceInManifest(v, "\"format_version\" : " + dev.recsys.models.manifest.Manifest.CURRENT_FORMAT, "\"format_version\" : 99"),
            "format 99 is not supported"),
        Arguments.of("not json", (Damage) v -> Files.writeString(v.resolve("manifest.json"), "{nope"), "not valid JSON"),
        Arguments.of(
            "path escape in file list",
            (Damage) v -> replaceInManifest(v, "\"weights.bin\"", "\"../weights.bin\""),
            "invalid file name"),
        Arguments.of(
            "absolute path in file list",
            (Damage) v -> replaceInManifest(v, "\"weights.bin\"", "\"/etc/passwd\""),
            "invalid file name"),
        Arguments.of(
            "version folder is a symlink to elsewhere",
            (Damage)
                v -> {
                  Path elsewhere = v.getParent().getParent().resolve("elsewhere");
                  Files.move(v, elsewhere);
                  Files.createSymbolicLink(v, elsewhere);
                },
            "symbolic link"),
        Arguments.of(
            "symlink leading out",
            (Damage)
                v -> {
                  Path outside = Files.writeString(v.getParent().getParent().resolve("outside.bin"), "weights of a");
                  Files.delete(v.resolve("weights.bin"));
                  Files.createSymbolicLink(v.resolve("weights.bin"), outside);
                },
            "points outside"),
        Arguments.of(
            "wrong version number",
            (Damage) v -> replaceInManifest(v, "\"version\" : 1", "\"version\" : 7"),
            "manifest says version 7"),
        // Every listed file intact, something else beside them.
        Arguments.of("unlisted classes folder", (Damage) v -> Files.createDirectories(v.resolve("classes/x")), "does not list: classes/"),
        Arguments.of("unlisted jar", (Damage) v -> Files.write(v.resolve("a.jar"), new byte[] {1}), "does not list: a.jar"),
        Arguments.of("unlisted serving.properties", (Damage) v -> Files.writeString(v.resolve("serving.properties"), "engine=PyTorch"),
            "does not list: serving.properties"),
        Arguments.of(
            "many unlisted files",
            (Damage) v -> {
              for (int i = 0; i < 8; i++) {
                Files.writeString(v.resolve("extra" + i), "x");
              }
            },
            "extra0, extra1, extra2, extra3, extra4 and 3 more"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damages")
  void verify_damagedVersion_isRefusedWithReason(String name, Damage damage, String expected)
      throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    TestVersions.publish(registry, "movies", "a");
    damage.apply(registry.versionDir("movies", 1));

    VersionCheck check = registry.verify("movies", 1);

    assertFalse(check.valid());
    assertTrue(check.problem().contains(expected), check.problem());
  }

  @Test
  void versions_listsBrokenVersionsBesideGoodOnes() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    TestVersions.publish(registry, "movies", "a");
    TestVersions.publish(registry, "movies", "b");
    Files.delete(registry.versionDir("movies", 2).resolve("catalog.json"));

    List<VersionCheck> versions = registry.versions("movies");

    assertEquals(List.of(2L, 1L), versions.stream().map(VersionCheck::version).toList());
    assertFalse(versions.get(0).valid());
    assertTrue(versions.get(1).valid());
    assertEquals(1, registry.latestValid("movies").orElseThrow().version());
  }

  @Test
  void verify_missingVersion_saysSo() {
    VersionCheck check = new ModelRegistry(root).verify("movies", 5);
    assertFalse(check.valid());
    assertTrue(check.problem().contains("does not exist"), check.problem());
  }

  @Test
  void verifiedCopy_holdsExactlyTheListedBytes_andRefusesWhatVerifyRefuses() throws IOException {
    ModelRegistry registry = new ModelRegistry(root);
    TestVersions.publish(registry, "movies", "a");
    Path copy = root.resolve("private-copy");
    VersionCheck check = registry.verifiedCopy("movies", 1, copy);
    assertTrue(check.valid(), check.problem());
    assertEquals(copy, check.dir());
    assertTrue(check.checksumsVerified());
    for (var f : check.manifest().files()) {
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(registry.versionDir("movies", 1).resolve(f.name())),
          Files.readAllBytes(copy.resolve(f.name()))), f.name());
    }
    // Other bytes of the same size are found while copying (the quick check only compares sizes).
    Path weights = registry.versionDir("movies", 1).resolve("weights.bin");
    byte[] b = Files.readAllBytes(weights);
    b[0] ^= 1;
    Files.write(weights, b);
    VersionCheck damaged = registry.verifiedCopy("movies", 1, root.resolve("second-copy"));
    assertFalse(damaged.valid());
    assertTrue(damaged.problem().contains("checksum mismatch in weights.bin"), damaged.problem());
    // An unlisted file is refused before anything is copied.
    b[0] ^= 1;
    Files.write(weights, b);
    Files.writeString(registry.versionDir("movies", 1).resolve("serving.properties"), "engine=PyTorch");
    VersionCheck hostile = registry.verifiedCopy("movies", 1, root.resolve("third-copy"));
    assertFalse(hostile.valid());
    assertTrue(hostile.problem().contains("does not list: serving.properties"), hostile.problem());
    assertFalse(Files.exists(root.resolve("third-copy")));
  }

  static void replaceInManifest(Path v, String from, String to) throws IOException {
    Path m = v.resolve("manifest.json");
    String s = Files.readString(m);
    if (!s.contains(from)) {
      throw new AssertionError("manifest lacks " + from + ":\n" + s);
    }
    Files.writeString(m, s.replace(from, to));
  }

}
