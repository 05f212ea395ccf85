package dev.recsys.trainer.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.testing.Fixtures;
import org.junit.jupiter.api.Test;

class BprTrainerTest {

  static final BprConfig SMALL = new BprConfig(16, 0.005f, 0.01f, 0.001f, 4, 1024, 3, 3, 0.1f, 11);

  @Test
  void train_sameSeed_sameModel_andFineTuneToo() {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    EmbeddingTables a = BprTrainer.train(all, SMALL, null, Progress.silent("a")).model();
    EmbeddingTables b = BprTrainer.train(all, SMALL, null, Progress.silent("b")).model();
    assertArrayEquals(a.itemEmbeddings(), b.itemEmbeddings());

    EmbeddingTables fa = BprTrainer.fineTune(a, all, SMALL, 2, 0.0025f, Progress.silent("fa")).model();
    EmbeddingTables fb = BprTrainer.fineTune(b, all, SMALL, 2, 0.0025f, Progress.silent("fb")).model();
    assertArrayEquals(fa.itemEmbeddings(), fb.itemEmbeddings());
    assertTrue(fa.itemEmbeddings()[0] != a.itemEmbeddings()[0]);
  }
}
