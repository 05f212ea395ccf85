package dev.recsys.models.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.regression.RandomForest;

class TreeEnsembleTest {

  static final List<String> NAMES = List.of("a", "b", "c", "d");
  static RandomForest forest;
  static DataFrame rows;

  @BeforeAll
  static void grow() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] m = new double[3000][5];
    for (double[] row : m) {
      for (int j = 0; j < 4; j++) {
        // A mix of continuous and few-valued columns, as the hybrid's features are.
        row[j] = j % 2 == 0 ? r.nextGaussian() : r.nextInt(5);
      }
      row[4] = 3 + row[0] - 0.5 * row[1] + (row[2] > 0 ? 0.7 : -0.2) * row[3] + 0.3 * r.nextGaussian();
    }
    rows = DataFrame.of(m, "a", "b", "c", "d", "rating");
    long[] seeds = r.longs(25).toArray();
    forest = RandomForest.fit(Formula.lhs("rating"), rows, new RandomForest.Options(25, 2, 12, 200, 5, 1.0, seeds, null));
  }

  @Test
  void predictsExactlyAsSmile_beforeAndAfterAFileRoundTrip(@TempDir Path dir) throws IOException {
    TreeEnsemble trees = TreeEnsemble.of(forest, NAMES);
    trees.write(dir.resolve("forest.safetensors"));
    TreeEnsemble back = TreeEnsemble.read(dir.resolve("forest.safetensors"));
    assertEquals(25, back.trees());
    assertEquals(NAMES, back.featureNames());
    assertArrayEquals(forest.importance(), back.importance());
    SplittableRandom r = new SplittableRandom(8);
    for (int i = 0; i < 2000; i++) {
      double[] x = {r.nextGaussian() * 2, r.nextInt(-1, 6), r.nextGaussian(), i % 7 == 0 ? 2.5 : r.nextInt(5)};
      double smile = forest.predict(Tuple.of(rows.schema(), new double[] {x[0], x[1], x[2], x[3], 0}));
      assertEquals(smile, trees.predict(x), 0.0, "row " + i);
      assertEquals(smile, back.predict(x), 0.0, "row " + i + " after the round trip");
    }
    // The training rows themselves (values the splits were cut between).
    for (int i = 0; i < 500; i++) {
      Tuple t = rows.get(i);
      assertEquals(forest.predict(t), trees.predict(new double[] {t.getDouble(0), t.getDouble(1), t.getDouble(2), t.getDouble(3)}), 0.0);
    }
  }

  /** A one-tree file: a root split on feature 0 at 0.5 into two leaves, with one array changed. */
  private static Path file(Path dir, String name, int[] starts, int[] feature, int[] trueChild, int[] falseChild, double[] value,
      String names) throws IOException {
    Path p = dir.resolve(name + ".safetensors");
    new TensorFile.Writer().metadata("feature_names", names).ints("tree_starts", starts).ints("feature", feature)
        .doubles("threshold", new double[feature.length]).ints("true_child", trueChild).ints("false_child", falseChild)
        .doubles("value", value).doubles("importance", new double[names.split(",").length]).write(p);
    return p;
  }

  @Test
  void hostileFilesAreRefusedNamingWhatIsWrong(@TempDir Path dir) throws IOException {
    int[] s = {0, 3};
    int[] f = {0, -1, -1};
    int[] t = {1, -1, -1};
    int[] fc = {2, -1, -1};
    double[] v = {0, 1, 2};
    TreeEnsemble good = TreeEnsemble.read(file(dir, "good", s, f, t, fc, v, "a"));
    assertEquals(1.0, good.predict(new double[] {0.0}));
    assertEquals(2.0, good.predict(new double[] {0.6}));
    String[][] cases = {
        {"loop", "has child 0 outside"}, {"escape", "has child 3 outside"}, {"feature", "splits on feature 4 of 1"},
        {"nan", "neither a split nor a leaf with a finite value"}, {"names", "names a feature 'a b'"}, {"starts", "tree starts must run"},
        {"overlap", "tree 0 ends at node 3, past the node count 2"},
    };
    Path[] files = {
        file(dir, "loop", s, f, new int[] {0, -1, -1}, fc, v, "a"),
        file(dir, "escape", s, f, t, new int[] {3, -1, -1}, v, "a"),
        file(dir, "feature", s, new int[] {4, -1, -1}, t, fc, v, "a"),
        file(dir, "nan", s, f, t, fc, new double[] {0, Double.NaN, 2}, "a"),
        file(dir, "names", s, f, t, fc, v, "a b"),
        file(dir, "starts", new int[] {0, 2}, f, t, fc, v, "a"),
        file(dir, "overlap", new int[] {0, 3, 2}, new int[] {-1, -1}, new int[] {-1, -1}, new int[] {-1, -1}, new double[] {1, 2}, "a"),
    };
    for (int i = 0; i < files.length; i++) {
      Path p = files[i];
      IOException e = assertThrows(IOException.class, () -> TreeEnsemble.read(p), cases[i][0]);
      assertTrue(e.getMessage().contains(cases[i][1]), cases[i][0] + ": " + e.getMessage());
    }
    // A chain deeper than any tree the trainer grows.
    int n = TreeEnsemble.MAX_DEPTH + 3;
    int[] chainFeature = new int[2 * n + 1];
    int[] chainTrue = new int[2 * n + 1];
    int[] chainFalse = new int[2 * n + 1];
    java.util.Arrays.fill(chainFeature, -1);
    java.util.Arrays.fill(chainTrue, -1);
    java.util.Arrays.fill(chainFalse, -1);
    for (int k = 0; k < n; k++) {
      chainFeature[2 * k] = 0;
      chainTrue[2 * k] = 2 * k + 1;
      chainFalse[2 * k] = 2 * k + 2;
    }
    Path deep = file(dir, "deep", new int[] {0, 2 * n + 1}, chainFeature, chainTrue, chainFalse, new double[2 * n + 1], "a");
    IOException e = assertThrows(IOException.class, () -> TreeEnsemble.read(deep));
    assertTrue(e.getMessage().contains("deeper than " + TreeEnsemble.MAX_DEPTH), e.getMessage());
  }
}
