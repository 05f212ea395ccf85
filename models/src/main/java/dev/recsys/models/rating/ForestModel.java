package dev.recsys.models.rating;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import smile.regression.RandomForest;

/**
 * The Random Forest hybrid: a regression forest over {@link HybridFeatures}, grown by Smile in the
 * trainer and stored and evaluated as a {@link TreeEnsemble} (plain arrays, checked on read: no
 * Java serialisation, so a hostile file cannot instantiate classes or hang the loader).
 * Thread-safe.
 */
public final class ForestModel implements RatingPredictor {

  /** File name inside a model version. */
  public static final String FILE = "forest.safetensors";

  /** Manifest role. */
  public static final String ROLE = "rating_forest_trees";

  /** Name of the target column in the training frame. */
  public static final String TARGET = "rating";

  private final TreeEnsemble trees;
  private final RandomForest grown;
  private final HybridFeatures features;
  /** For each predictor of the forest, its index among the features' values. */
  private final int[] source;

  /** Binds a forest read from a file to the features of the version it belongs to. */
  @FunctionalInterface
  public interface Reader {
    ForestModel read(HybridFeatures features) throws IOException;
  }

  /**
   * Binds a forest just grown by Smile (in the trainer) to its features; its predictors are the
   * schema's columns other than {@link #TARGET}.
   */
  public ForestModel(RandomForest forest, HybridFeatures features) {
    this(TreeEnsemble.of(forest, forest.schema().fields().stream().map(f -> f.name()).filter(n -> !n.equals(TARGET)).toList()), forest,
        features);
  }

  /** Binds a stored forest to its features. */
  public ForestModel(TreeEnsemble trees, HybridFeatures features) {
    this(trees, null, features);
  }

  /**
   * The forest's own feature names say which features it was trained on: a forest from before a
   * feature existed simply does not use it, while a forest asking for a feature these sources
   * cannot compute is refused.
   *
   * @throws IllegalArgumentException naming the first feature the sources cannot provide
   */
  private ForestModel(TreeEnsemble trees, RandomForest grown, HybridFeatures features) {
    this.trees = trees;
    this.grown = grown;
    this.features = features;
    List<String> predictors = trees.featureNames();
    if (predictors.contains(HybridFeatures.IMPLICIT_SCORE) && !features.hasImplicit()) {
      throw new IllegalArgumentException("forest needs " + HybridFeatures.IMPLICIT_SCORE + " but the version has no implicit factors");
    }
    List<String> known = features.names();
    this.source = new int[predictors.size()];
    for (int i = 0; i < source.length; i++) {
      source[i] = known.indexOf(predictors.get(i));
      if (source[i] < 0) {
        throw new IllegalArgumentException("forest needs feature " + predictors.get(i) + ", which this build does not compute");
      }
    }
  }

  /**
   * The Smile forest this model was grown as: in the trainer only (for its out-of-bag figures).
   *
   * @throws IllegalStateException for a forest read from a version, which has only its trees
   */
  public RandomForest forest() {
    if (grown == null) {
      throw new IllegalStateException("a forest read from a model version has its trees only, not Smile's model");
    }
    return grown;
  }

  /** The trees, as stored. */
  public TreeEnsemble trees() {
    return trees;
  }

  @Override
  public float predict(int user, int movie) {
    double[] f = new double[features.size()];
    features.fill(user, movie, f);
    double[] x = new double[source.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = f[source[i]];
    }
    return (float) trees.predict(x);
  }

  /** Feature importances by name, as Smile computed them (total impurity decrease). */
  public java.util.Map<String, Double> importances() {
    double[] imp = trees.importance();
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < imp.length; i++) {
      out.put(trees.featureNames().get(i), imp[i]);
    }
    return out;
  }

  public void write(Path file) throws IOException {
    trees.write(file);
  }

  /** Reads a stored forest (see {@link TreeEnsemble#read}). */
  public static TreeEnsemble readForest(Path file) throws IOException {
    return TreeEnsemble.read(file);
  }
}
