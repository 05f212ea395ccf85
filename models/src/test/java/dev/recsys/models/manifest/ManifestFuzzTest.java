package dev.recsys.models.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzzing of the manifest parser, the first thing the server reads from a version it did not
 * write. Whatever the bytes, {@link ManifestCodec#parse} returns a manifest that passed its checks
 * or throws {@link InvalidManifestException}; any other exception (a NullPointerException, an
 * overflow, a stack overflow on deep nesting) is a finding. A manifest it accepts must survive a
 * write and re-read unchanged.
 *
 * <p>In the normal test run the seeds under {@code ManifestFuzzTestInputs/} are replayed, and a
 * short fuzzing run is part of the build (the {@code fuzz} execution of the build).
 * Longer:
 * {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -pl models test -Dtest=ManifestFuzzTest}; findings are written
 * next to the seeds as {@code crash-*} files and replayed by every later run.
 */
class ManifestFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void parse_acceptsOrRefusesCleanly(byte[] bytes) {
    Manifest manifest;
    try {
      manifest = ManifestCodec.parse(bytes);
    } catch (InvalidManifestException expected) {
      return;
    }
    Manifest again;
    try {
      again = ManifestCodec.parse(ManifestCodec.toBytes(manifest));
    } catch (InvalidManifestException e) {
      throw new AssertionError("an accepted manifest did not survive a round trip: " + e.getMessage(), e);
    }
    assertEquals(manifest, again);
  }
}
