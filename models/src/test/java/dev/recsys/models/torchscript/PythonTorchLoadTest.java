package dev.recsys.models.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recsys.models.embedding.EmbeddingTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent check of the TorchScript files: Python's {@code torch.jit.load} (Debian's
 * python3-torch) loads what the Java writer produced and computes the same scores. CI installs
 * python3-torch and sets {@code RECSYS_REQUIRE_PYTHON_TORCH=1}, which turns a missing torch into a
 * failure; elsewhere the test is skipped when torch is absent.
 */
class PythonTorchLoadTest {

  @TempDir Path dir;

  /** The first Python that imports torch: $RECSYS_PYTHON, Debian's, then the one on the PATH. */
  static String pythonWithTorch() throws Exception {
    for (String candidate : new String[] {System.getenv("RECSYS_PYTHON"), "/usr/bin/python3", "python3"}) {
      if (candidate == null) {
        continue;
      }
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (java.io.IOException notInstalled) {
        // try the next one
      }
    }
    return null;
  }

  @Test
  void torchJitLoad_readsTheJavaWrittenModule_andAgrees() throws Exception {
    boolean required = "1".equals(System.getenv("RECSYS_REQUIRE_PYTHON_TORCH"));
    String python = pythonWithTorch();
    boolean available = python != null;
    if (required && !available) {
      throw new AssertionError("RECSYS_REQUIRE_PYTHON_TORCH=1 but python3 cannot import torch");
    }
    assumeTrue(available, "python3 with torch is not installed");

    EmbeddingTables model = TorchScriptRoundTripTest.random(5, 9, 4, 7);
    Path file = dir.resolve("model.pt");
    TorchScriptWriter.write(model, file);
    String script =
        """
        import sys, torch
        m = torch.jit.load(sys.argv[1])
        users = torch.tensor([0, 1, 4, 4], dtype=torch.int64)
        items = torch.tensor([0, 8, 3, 8], dtype=torch.int64)
        print(" ".join("%.6f" % x for x in m.forward(users, items).tolist()))
        print(m.user_emb.shape[0], m.item_emb.shape[0], m.user_emb.shape[1], "%.6f" % m.global_bias)
        """;
    Process p = new ProcessBuilder(python, "-c", script, file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    String[] lines = out.strip().split("\n");
    String[] scores = lines[lines.length - 2].trim().split(" ");
    int[][] pairs = {{0, 0}, {1, 8}, {4, 3}, {4, 8}};
    for (int k = 0; k < pairs.length; k++) {
      assertEquals(model.score(pairs[k][0], pairs[k][1]), Float.parseFloat(scores[k]), 1e-4f);
    }
    assertEquals("5 9 4 3.500000", lines[lines.length - 1].trim());
    Files.delete(file);
  }
}
