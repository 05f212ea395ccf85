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
            "manifest says version 7"));
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

  static void replaceInManifest(Path v, String from, String to) throws IOException {
    Path m = v.resolve("manifest.json");
    String s = Files.readString(m);
    if (!s.contains(from)) {
      throw new AssertionError("manifest lacks " + from + ":\n" + s);
    }
    Files.writeString(m, s.replace(from, to));
  }

}
