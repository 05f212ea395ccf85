package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.server.scoring.BatchedScoring;
import dev.recsys.server.scoring.CpuScoring;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check a version's device scoring passes before it serves (whole rows and a filtered top-10
 * against the CPU kernel), run on DJL's CPU engine: the same code as on a GPU.
 */
class DeviceScoringCheckTest {

  @TempDir Path dir;

  private static final ModelLoader.Scoring BATCHES = new ModelLoader.Scoring(true, true, 8, Duration.ofMillis(2), 64, true, Duration.ZERO);

  @Test
  void aDeviceThatScoresLikeTheCpuKernel_passes_andOneThatDiffers_isRefusedNamingTheMovie() throws Exception {
    ModelBundle bundle = BundleLoads.bundle(new ModelRegistry(TrainedRegistry.copyInto(dir.resolve("registry"))), TrainedRegistry.MODEL, 1);
    try (BatchedScoring checked = ModelLoader.checkedDeviceScoring(1, bundle, new CpuScoring(bundle.ranking().movies()), Device.cpu(),
        BATCHES, dev.recsys.server.scoring.ThreadStarter.CALLER)) {
      assertEquals("cpu (batched)", checked.device());
    }
    // A CPU kernel of other numbers stands for a device that computes wrongly.
    float[] biases = bundle.ranking().movies().biases();
    biases[5] += 1f;
    CpuScoring other = new CpuScoring(new DotScorer(bundle.ranking().movies().rowMajor(), biases, bundle.ranking().items(), bundle.ranking().dim()));
    ModelLoader.LoadException refused = assertThrows(ModelLoader.LoadException.class,
        () -> ModelLoader.checkedDeviceScoring(1, bundle, other, Device.cpu(), BATCHES, dev.recsys.server.scoring.ThreadStarter.CALLER));
    assertTrue(refused.getMessage().startsWith("version 1 refused: cpu (batched) scoring differs from the CPU kernel (user 0 movie 5"),
        refused.getMessage());
  }
}
