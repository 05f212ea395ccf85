package dev.recsys.server.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent callers share batches of the Java kernel and each gets exactly what a call alone gets. */
class CpuBatchedScoringTest {

  @Test
  void concurrentCallers_shareBatches_andGetTheirOwnAnswers() throws Exception {
    int items = 70_000;
    int dim = 12;
    Random random = new Random(3);
    float[] rows = new float[items * dim];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) random.nextGaussian();
    }
    DotScorer scorer = new DotScorer(rows, new float[items], items, dim);
    CpuScoring alone = new CpuScoring(scorer);
    int callers = 24;
    float[][] users = new float[callers][dim];
    for (float[] u : users) {
      for (int d = 0; d < dim; d++) {
        u[d] = (float) random.nextGaussian();
      }
    }
    try (CpuBatchedScoring batched = new CpuBatchedScoring(scorer, 8, Duration.ofMillis(50), 64, ThreadStarter.CALLER);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Object>> answers = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        // Every third caller asks for a whole row (the blend's way), the others for a top-k of their own size and filter.
        answers.add(pool.submit(() -> {
          if (caller % 3 == 0) {
            float[] row = new float[items];
            batched.score(users[caller], row, System.nanoTime() + 30_000_000_000L);
            return row;
          }
          return batched.top(users[caller], 5 + caller % 7, filter(caller), () -> new float[items], System.nanoTime() + 30_000_000_000L);
        }));
      }
      for (int c = 0; c < callers; c++) {
        Object got = answers.get(c).get();
        if (c % 3 == 0) {
          float[] expected = new float[items];
          alone.score(users[c], expected, Long.MAX_VALUE);
          assertArrayEquals(expected, (float[]) got, "caller " + c);
        } else {
          TopK.Result expected = alone.top(users[c], 5 + c % 7, filter(c), () -> null, Long.MAX_VALUE);
          assertArrayEquals(expected.indexes(), ((TopK.Result) got).indexes(), "caller " + c);
          assertArrayEquals(expected.scores(), ((TopK.Result) got).scores(), "caller " + c);
        }
      }
      var counts = batched.batchCounts();
      assertEquals(callers, counts.requests());
      assertTrue(counts.batches() <= callers / 2, callers + " callers in " + counts.batches() + " batches");
      assertEquals("cpu (batched)", batched.device());
    }
  }

  private static TopK.Filter filter(int caller) {
    return caller % 2 == 0 ? TopK.Filter.ALL : m -> m % (caller + 1) != 0;
  }
}
