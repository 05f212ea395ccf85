package dev.recsys.server.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.recsys.models.bundle.Artifacts;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.models.scoring.CandidateFilter;
import dev.recsys.models.scoring.TopK;
import dev.recsys.models.torchscript.TorchScriptModel;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    CpuScoring cpu = new CpuScoring(bundle.ranking().movies());
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
    CpuScoring cpu = new CpuScoring(bundle.ranking().movies());
    try (BatchedScoring batched = onDjlCpu(Duration.ofMillis(2))) {
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
  void batchedTopK_masksFiltersOnTheDevice_andEqualsTheCpuKernel() throws Exception {
    CpuScoring cpu = new CpuScoring(bundle.ranking().movies());
    try (BatchedScoring batched = onDjlCpu(Duration.ofMillis(2))) {
      float[] scratch = new float[cpu.items()];
      for (int user = 0; user < 20; user++) {
        float[] vector = bundle.ranking().userVector(user);
        // User 7's filter is a plain test per movie, which the device cannot apply: it gets 4k+32 candidates and,
        // as almost nothing passes, its whole row.
        TopK.Filter filter = user == 7 ? m -> m % 500 == 0 : filterFor(user);
        assertSameTop(cpu.top(vector, 10, filter, () -> scratch, Long.MAX_VALUE),
            batched.top(vector, 10, filter, () -> scratch, System.nanoTime() + 10_000_000_000L), "user " + user);
      }
      assertEquals(1, batched.wholeRowsFetched(), "only the filter the device cannot apply needs whole rows");
    }
  }

  @Test
  void batchedTopK_masksEachRequestOfABatchByItsOwnFilter() throws Exception {
    CpuScoring cpu = new CpuScoring(bundle.ranking().movies());
    int callers = 16;
    // A long delay and many callers at once: batches hold requests with different genres and exclusions.
    try (BatchedScoring batched = onDjlCpu(Duration.ofMillis(50));
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<TopK.Result>> answers = new ArrayList<>();
      for (int user = 0; user < callers; user++) {
        float[] vector = bundle.ranking().userVector(user);
        TopK.Filter filter = filterFor(user);
        answers.add(pool.submit(() -> batched.top(vector, 10, filter, () -> new float[cpu.items()], System.nanoTime() + 10_000_000_000L)));
      }
      float[] scratch = new float[cpu.items()];
      for (int user = 0; user < callers; user++) {
        assertSameTop(cpu.top(bundle.ranking().userVector(user), 10, filterFor(user), () -> scratch, Long.MAX_VALUE), answers.get(user).get(),
            "user " + user);
      }
      assertEquals(0, batched.wholeRowsFetched());
    }
  }

  /** Whole rows and top-k requests in the same batches: each gets its own kind of answer, equal to the CPU kernel's. */
  @Test
  void batchesMixingWholeRowsAndTopK_answerEachRequestItsOwnWay() throws Exception {
    CpuScoring cpu = new CpuScoring(bundle.ranking().movies());
    int callers = 16;
    try (BatchedScoring batched = onDjlCpu(Duration.ofMillis(50));
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Object>> answers = new ArrayList<>();
      for (int user = 0; user < callers; user++) {
        float[] vector = bundle.ranking().userVector(user);
        boolean whole = user % 2 == 0;
        answers.add(pool.submit(() -> {
          if (whole) {
            float[] row = new float[cpu.items()];
            batched.score(vector, row, System.nanoTime() + 10_000_000_000L);
            return row;
          }
          return batched.top(vector, 10, TopK.Filter.ALL, () -> new float[cpu.items()], System.nanoTime() + 10_000_000_000L);
        }));
      }
      float[] scratch = new float[cpu.items()];
      for (int user = 0; user < callers; user++) {
        float[] vector = bundle.ranking().userVector(user);
        if (user % 2 == 0) {
          float[] expected = new float[cpu.items()];
          cpu.score(vector, expected, Long.MAX_VALUE);
          float[] got = (float[]) answers.get(user).get();
          for (int m = 0; m < expected.length; m++) {
            assertEquals(expected[m], got[m], 1e-4f * Math.max(1, Math.abs(expected[m])), "user " + user + " movie " + m);
          }
        } else {
          assertSameTop(cpu.top(vector, 10, TopK.Filter.ALL, () -> scratch, Long.MAX_VALUE), (TopK.Result) answers.get(user).get(), "user " + user);
        }
      }
    }
  }

  /** The version's ranking model batched on DJL's CPU engine (batches of 8), waiting up to {@code delay} for a batch to fill. */
  private static BatchedScoring onDjlCpu(Duration delay) {
    return BatchedScoring.of(bundle.ranking().movies(), bundle.genreMasks(), Device.cpu(), 8, delay, 64, new CpuScoring(bundle.ranking().movies()),
        ThreadStarter.CALLER);
  }

  /** Rated movies out for all; every third user one genre, every fourth two genres; odd users exclude two movies. */
  private static TopK.Filter filterFor(int user) {
    var users = bundle.users();
    long genres = user % 3 == 0 ? 1L << (user % 5) : user % 4 == 0 ? 0b1100L : 0;
    int[] excluded = user % 2 == 1 ? new int[] {user, 3 * user + 1} : new int[0];
    return new CandidateFilter(bundle.genreMasks()).allowing(genres, users.movies(), users.start(user), users.end(user), excluded);
  }

  private static void assertSameTop(TopK.Result expected, TopK.Result got, String what) {
    assertEquals(Arrays.toString(expected.indexes()), Arrays.toString(got.indexes()), what);
    for (int i = 0; i < got.size(); i++) {
      assertEquals(expected.scores()[i], got.scores()[i], 1e-4f * Math.max(1, Math.abs(expected.scores()[i])), what);
    }
  }
}
