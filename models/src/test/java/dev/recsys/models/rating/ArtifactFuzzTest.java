package dev.recsys.models.rating;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Jazzer fuzzing of the readers of a version's data files: the safetensors container and the
 * forest format inside it, both read by the server from a registry it does not control. Whatever
 * the bytes, a reader returns a checked value or throws {@link IOException}; any other exception
 * (an index out of bounds, an overflow, a loop that never ends) is a finding. An accepted forest
 * must predict on any input without failing.
 *
 * <p>The normal test run replays the seeds under {@code ArtifactFuzzTestInputs/} (a valid forest
 * among them). Longer:
 * {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -pl models test -Dtest='ArtifactFuzzTest#forest_*'};
 * findings are written next to the seeds as {@code crash-*} files and replayed by every later run.
 */
class ArtifactFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void tensorFile_acceptsOrRefusesCleanly(byte[] bytes) {
    try {
      TensorFile f = TensorFile.parse(ByteBuffer.wrap(bytes), "fuzzed.safetensors");
      f.tensors().values().forEach(t -> t.numel());
    } catch (IOException expected) {
      // refused, with a reason
    }
  }

  @FuzzTest(maxDuration = "15s")
  void forest_acceptsOrRefusesCleanly_andAnAcceptedOnePredicts(byte[] bytes) {
    TreeEnsemble forest;
    try {
      forest = TreeEnsemble.parse(ByteBuffer.wrap(bytes), "fuzzed-forest.safetensors");
    } catch (IOException expected) {
      return;
    }
    double[] x = new double[forest.featureNames().size()];
    double y = forest.predict(x);
    java.util.Arrays.fill(x, Double.NaN);
    forest.predict(x);
    if (Double.isNaN(y)) {
      throw new AssertionError("an accepted forest predicted NaN from zeros");
    }
  }
}
