package dev.recsys.models.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.recsys.models.embedding.EmbeddingTables;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptRoundTripTest {

  @TempDir Path dir;

  static EmbeddingTables random(int users, int items, int dim, long seed) {
    Random r = new Random(seed);
    float[] p = new float[users * dim];
    float[] q = new float[items * dim];
    float[] bu = new float[users];
    float[] bi = new float[items];
    for (int i = 0; i < p.length; i++) p[i] = (float) r.nextGaussian();
    for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
    for (int i = 0; i < bu.length; i++) bu[i] = (float) r.nextGaussian();
    for (int i = 0; i < bi.length; i++) bi[i] = (float) r.nextGaussian();
    return new EmbeddingTables(users, items, dim, p, q, bu, bi, 3.5f);
  }

  @Test
  void write_thenLoadThroughDjl_forwardEqualsJavaScores() throws Exception {
    EmbeddingTables model = random(7, 11, 5, 1);
    Path file = dir.resolve("model.pt");
    TorchScriptWriter.write(model, file);

    try (TorchScriptModel loaded = TorchScriptModel.load(file, Device.cpu())) {
      long[] users = new long[7 * 11];
      long[] items = new long[7 * 11];
      float[] expected = new float[7 * 11];
      for (int u = 0, n = 0; u < 7; u++) {
        for (int i = 0; i < 11; i++, n++) {
          users[n] = u;
          items[n] = i;
          expected[n] = model.score(u, i);
        }
      }
      assertArrayEquals(expected, loaded.forward(users, items), 1e-4f);
      EmbeddingTables back = loaded.tables(3.5f);
      assertArrayEquals(model.itemEmbeddings(), back.itemEmbeddings());
      assertEquals(5, back.dim());
    }
  }
}
