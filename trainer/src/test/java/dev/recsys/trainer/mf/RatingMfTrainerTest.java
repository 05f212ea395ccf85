package dev.recsys.trainer.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.torchscript.TorchScriptModel;
import dev.recsys.models.torchscript.TorchScriptWriter;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.testing.Fixtures;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingMfTrainerTest {

  @TempDir Path dir;

  static final MfConfig SMALL = new MfConfig(16, 0.005f, 0.1f, 0.005f, 1024, 5, 3, 0.05f, 7, MfConfig.Solver.ADAM);

  @Test
  void train_onMl100k_learnsAndExportsATorchScriptThatReproducesIt() throws Exception {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold split = Splits.holdout(data.ratings(), 0.1, 1);

    RatingMfTrainer.Result r = RatingMfTrainer.train(split.train(), split.test(), SMALL, Progress.silent("mf"));

    // It learned: validation error well below the spread of the ratings around their mean.
    double rmse = RatingMetrics.of(split.test(), r.model()::score).rmse();
    assertTrue(rmse < 1.0, "validation RMSE " + rmse);
    assertEquals(5, r.curve().size());
    assertTrue(r.curve().getLast().trainLoss() < r.curve().getFirst().trainLoss());

    // The exported TorchScript, loaded through DJL, computes the in-memory model's predictions.
    Path file = dir.resolve("mf.pt");
    TorchScriptWriter.write(r.model(), file);
    SplittableRandom random = new SplittableRandom(3);
    int n = 2000;
    long[] users = new long[n];
    long[] items = new long[n];
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) {
      users[i] = random.nextInt(r.model().users());
      items[i] = random.nextInt(r.model().items());
      expected[i] = r.model().score((int) users[i], (int) items[i]);
    }
    try (TorchScriptModel loaded = TorchScriptModel.load(file, Device.cpu())) {
      assertArrayEquals(expected, loaded.forward(users, items), 1e-4f);
      EmbeddingTables back = loaded.tables(r.model().globalBias());
      assertArrayEquals(r.model().userEmbeddings(), back.userEmbeddings());
    }
  }

  @Test
  void train_sameSeed_sameModel() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold split = Splits.holdout(data.ratings(), 0.1, 1);
    MfConfig config = SMALL.withMaxEpochs(2);

    EmbeddingTables a = RatingMfTrainer.train(split.train(), split.test(), config, Progress.silent("a")).model();
    EmbeddingTables b = RatingMfTrainer.train(split.train(), split.test(), config, Progress.silent("b")).model();

    assertArrayEquals(a.itemEmbeddings(), b.itemEmbeddings());
    assertArrayEquals(a.userBiases(), b.userBiases());
  }

  @Test
  void fineTune_keepsTheEmbeddingSpaceClose() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold split = Splits.holdout(data.ratings(), 0.1, 1);
    EmbeddingTables start = RatingMfTrainer.train(split.train(), split.test(), SMALL, Progress.silent("mf")).model();

    EmbeddingTables tuned = RatingMfTrainer.fineTune(start, data.ratings(), SMALL, 1, 0.001f, Progress.silent("ft")).model();

    double moved = 0;
    double norm = 0;
    for (int i = 0; i < start.itemEmbeddings().length; i++) {
      moved += Math.pow(tuned.itemEmbeddings()[i] - start.itemEmbeddings()[i], 2);
      norm += Math.pow(start.itemEmbeddings()[i], 2);
    }
    assertTrue(moved > 0, "fine-tuning changed nothing");
    assertTrue(moved < 0.1 * norm, "fine-tuning moved the embeddings too far: " + Math.sqrt(moved / norm));
  }
}
