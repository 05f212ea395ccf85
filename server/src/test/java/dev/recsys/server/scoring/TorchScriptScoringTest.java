package dev.recsys.server.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.recsys.models.bundle.Artifacts;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.torchscript.TorchScriptModel;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU kernel over the data files the server reads, the published TorchScript module's own
 * forward (which PyTorch consumers run; the server never does) and the batched DJL path score alike.
 */
class TorchScriptScoringTest {

  @TempDir static Path dir;
  static VersionCheck version;
  static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    version = new ModelRegistry(registry).verify(TrainedRegistry.MODEL, 1);
    bundle = ModelBundle.load(version.dir(), version.manifest(), true);
  }

  @Test
  void cpuKernel_equalsTheTorchScriptForward() throws Exception {
    CpuScoring cpu = new CpuScoring(DotScorer.of(bundle.ranking()));
    int items = cpu.items();
    float[] scores = new float[items];
    try (TorchScriptModel ts = TorchScriptModel.load(version.dir().resolve(Artifacts.RANKING), Device.cpu())) {
      for (int user : new int[] {0, 17, bundle.ranking().users() - 1}) {
        cpu.score(bundle.ranking().userVector(user), scores, Long.MAX_VALUE);
        long[] users = new long[items];
        long[] movies = new long[items];
        for (int m = 0; m < items; m++) {
          users[m] = user;
          movies[m] = m;
        }
        float[] forward = ts.forward(users, movies);
        for (int m = 0; m < items; m++) {
          assertEquals(forward[m], scores[m], 1e-4f * Math.max(1, Math.abs(forward[m])), "user " + user + " movie " + m);
        }
      }
    }
  }

  @Test
  void batchedDjlPath_onCpu_equalsTheCpuKernel() throws Exception {
    CpuScoring cpu = new CpuScoring(DotScorer.of(bundle.ranking()));
    try (BatchedScoring batched = BatchedScoring.of(bundle.ranking(), Device.cpu(), 8, Duration.ofMillis(2), 64,
        new CpuScoring(dev.recsys.models.scoring.DotScorer.of(bundle.ranking())))) {
      float[] expected = new float[cpu.items()];
      float[] got = new float[cpu.items()];
      for (int user = 0; user < 20; user++) {
        cpu.score(bundle.ranking().userVector(user), expected, Long.MAX_VALUE);
        batched.score(bundle.ranking().userVector(user), got, System.nanoTime() + 10_000_000_000L);
        for (int m = 0; m < expected.length; m++) {
          assertEquals(expected[m], got[m], 1e-4f * Math.max(1, Math.abs(expected[m])));
        }
      }
      assertEquals("cpu (batched)", batched.device());
    }
  }

  @Test
  void batchedTopK_selectsOnTheDevice_andEqualsTheCpuKernel_underFilters() throws Exception {
    CpuScoring cpu = new CpuScoring(DotScorer.of(bundle.ranking()));
    var filters = new dev.recsys.models.scoring.CandidateFilter(bundle.genreMasks());
    var users = bundle.users();
    try (BatchedScoring batched = BatchedScoring.of(bundle.ranking(), Device.cpu(), 8, Duration.ofMillis(2), 64,
        new CpuScoring(DotScorer.of(bundle.ranking())))) {
      float[] scratch = new float[cpu.items()];
      for (int user = 0; user < 20; user++) {
        float[] vector = bundle.ranking().userVector(user);
        // Rated movies excluded; every third user asks for one genre; user 7 for a filter almost nothing passes
        // (the device's candidates are not enough: the whole row is fetched).
        dev.recsys.models.scoring.TopK.Filter filter = user == 7 ? m -> m % 500 == 0
            : filters.allowing(user % 3 == 0 ? 1L << (user % 5) : 0, users.movies(), users.start(user), users.end(user), new int[0]);
        var expected = cpu.top(vector, 10, filter, scratch, Long.MAX_VALUE);
        var got = batched.top(vector, 10, filter, scratch, System.nanoTime() + 10_000_000_000L);
        assertEquals(java.util.Arrays.toString(expected.indexes()), java.util.Arrays.toString(got.indexes()), "user " + user);
        for (int i = 0; i < got.size(); i++) {
          assertEquals(expected.scores()[i], got.scores()[i], 1e-4f * Math.max(1, Math.abs(expected.scores()[i])));
        }
      }
    }
  }
}
