package dev.recsys.models.rating;

import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import smile.model.cart.InternalNode;
import smile.model.cart.LeafNode;
import smile.model.cart.Node;
import smile.model.cart.OrdinalNode;
import smile.model.cart.RegressionNode;
import smile.regression.RandomForest;

/**
 * A regression forest as plain arrays: what a model version stores and the server evaluates. Each
 * tree is a run of nodes in pre-order (every child comes after its parent); an internal node sends
 * {@code x} to its true child when {@code x[feature] <= threshold} (Smile's ordinal split), a leaf
 * holds its output, and the forest predicts the mean of its trees' leaves. Read with every index,
 * value and depth checked, so a hostile file can neither loop, index out of bounds nor run code
 * (the Java serialisation it replaces could be made to do all three).
 */
public final class TreeEnsemble {

  /** Most trees, nodes and depth a file may hold (far above what the trainer grows). */
  static final int MAX_TREES = 10_000;
  static final int MAX_NODES = 100_000_000;
  static final int MAX_DEPTH = 256;

  private static final String FEATURE_NAMES = "feature_names";

  private final List<String> featureNames;
  private final int[] treeStarts;
  private final int[] feature;
  private final double[] threshold;
  private final int[] trueChild;
  private final int[] falseChild;
  private final double[] value;
  private final double[] importance;

  private TreeEnsemble(List<String> featureNames, int[] treeStarts, int[] feature, double[] threshold, int[] trueChild, int[] falseChild,
      double[] value, double[] importance) {
    this.featureNames = List.copyOf(featureNames);
    this.treeStarts = treeStarts;
    this.feature = feature;
    this.threshold = threshold;
    this.trueChild = trueChild;
    this.falseChild = falseChild;
    this.value = value;
    this.importance = importance;
    String problem = problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The trees of a Smile forest, whose predictors are named (in column order) by {@code featureNames}. */
  public static TreeEnsemble of(RandomForest forest, List<String> featureNames) {
    var trees = forest.trees();
    int[] starts = new int[trees.length + 1];
    java.util.List<Node> order = new java.util.ArrayList<>();
    for (int t = 0; t < trees.length; t++) {
      starts[t] = order.size();
      // Pre-order without recursion: a node, then its true subtree, then its false subtree.
      ArrayDeque<Node> stack = new ArrayDeque<>();
      stack.push(trees[t].root());
      while (!stack.isEmpty()) {
        Node n = stack.pop();
        order.add(n);
        if (n instanceof InternalNode in) {
          stack.push(in.falseChild());
          stack.push(in.trueChild());
        }
      }
    }
    starts[trees.length] = order.size();
    int nodes = order.size();
    java.util.IdentityHashMap<Node, Integer> index = new java.util.IdentityHashMap<>();
    for (int i = 0; i < nodes; i++) {
      index.put(order.get(i), i);
    }
    int[] feature = new int[nodes];
    double[] threshold = new double[nodes];
    int[] trueChild = new int[nodes];
    int[] falseChild = new int[nodes];
    double[] value = new double[nodes];
    for (int i = 0; i < nodes; i++) {
      Node n = order.get(i);
      if (n instanceof OrdinalNode split) {
        feature[i] = split.feature();
        threshold[i] = splitValue(split);
        trueChild[i] = index.get(split.trueChild());
        falseChild[i] = index.get(split.falseChild());
      } else if (n instanceof RegressionNode leaf) {
        feature[i] = -1;
        trueChild[i] = -1;
        falseChild[i] = -1;
        value[i] = leaf.output();
      } else {
        throw new IllegalArgumentException("forest holds a " + n.getClass().getSimpleName() + "; only ordinal splits and regression leaves "
            + "(all-numeric features) are stored");
      }
    }
    return new TreeEnsemble(featureNames, starts, feature, threshold, trueChild, falseChild, value, forest.importance());
  }

  /**
   * The threshold of an ordinal split. Smile 6 keeps it in a package-private field with no getter;
   * a Smile upgrade that renames it fails here, and the test comparing every prediction with
   * Smile's catches any change of meaning.
   */
  private static double splitValue(OrdinalNode split) {
    try {
      java.lang.reflect.Field f = OrdinalNode.class.getDeclaredField("value");
      f.setAccessible(true);
      return f.getDouble(split);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read a split threshold from this Smile version: " + e, e);
    }
  }

  /** Names of the predictors, in the order {@link #predict} reads them. */
  public List<String> featureNames() {
    return featureNames;
  }

  public int trees() {
    return treeStarts.length - 1;
  }

  /** Impurity-decrease importance of each predictor (Smile's), in {@link #featureNames()} order. */
  public double[] importance() {
    return importance.clone();
  }

  /** The mean of the trees' leaves for predictors {@code x} (in {@link #featureNames()} order). */
  public double predict(double[] x) {
    double sum = 0;
    for (int t = 0; t < treeStarts.length - 1; t++) {
      int n = treeStarts[t];
      while (feature[n] >= 0) {
        n = x[feature[n]] <= threshold[n] ? trueChild[n] : falseChild[n];
      }
      sum += value[n];
    }
    return sum / (treeStarts.length - 1);
  }

  public void write(Path file) throws IOException {
    new TensorFile.Writer()
        .metadata(FEATURE_NAMES, String.join(",", featureNames))
        .ints("tree_starts", treeStarts)
        .ints("feature", feature)
        .doubles("threshold", threshold)
        .ints("true_child", trueChild)
        .ints("false_child", falseChild)
        .doubles("value", value)
        .doubles("importance", importance)
        .write(file);
  }

  /** Reads and checks a forest file; anything malformed is an {@link IOException} saying what. */
  public static TreeEnsemble read(Path file) throws IOException {
    return parse(TensorFile.read(file), file.getFileName().toString());
  }

  /** As {@link #read}, from file content already in memory; {@code what} names it in errors. */
  public static TreeEnsemble parse(java.nio.ByteBuffer content, String what) throws IOException {
    return parse(TensorFile.parse(content, what), what);
  }

  private static TreeEnsemble parse(TensorFile f, String what) throws IOException {
    try {
      String names = f.metadata().get(FEATURE_NAMES);
      if (names == null || names.isEmpty()) {
        throw new IOException(what + " names no features");
      }
      List<String> featureNames = Arrays.asList(names.split(",", -1));
      for (String name : featureNames) {
        if (!name.matches("[A-Za-z0-9_]{1,100}")) {
          throw new IOException(what + " names a feature '" + name + "' that no build computes");
        }
      }
      int[] starts = f.get("tree_starts").requireShape(-1).ints();
      int[] feature = f.get("feature").requireShape(-1).ints();
      int nodes = feature.length;
      return new TreeEnsemble(featureNames, starts, feature, f.get("threshold").requireShape(nodes).doubles(),
          f.get("true_child").requireShape(nodes).ints(), f.get("false_child").requireShape(nodes).ints(),
          f.get("value").requireShape(nodes).doubles(), f.get("importance").requireShape(featureNames.size()).doubles());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException(what + ": " + dev.recsys.models.console.Messages.describe(e), e);
    }
  }

  /** Why the arrays are not a well-formed forest, or null. One pass, no recursion. */
  private String problem() {
    int trees = treeStarts.length - 1;
    int nodes = feature.length;
    if (trees < 1 || trees > MAX_TREES) {
      return "a forest holds 1 to " + MAX_TREES + " trees, this one " + trees;
    }
    if (nodes > MAX_NODES) {
      return "a forest holds at most " + MAX_NODES + " nodes, this one " + nodes;
    }
    if (treeStarts[0] != 0 || treeStarts[trees] != nodes) {
      return "tree starts must run from 0 to the node count " + nodes;
    }
    int predictors = featureNames.size();
    if (importance.length != predictors) {
      return "importances: " + importance.length + " values for " + predictors + " features";
    }
    int[] depth = new int[nodes];
    for (int t = 0; t < trees; t++) {
      int from = treeStarts[t];
      int to = treeStarts[t + 1];
      if (to <= from) {
        return "tree " + t + " has no node";
      }
      if (to > nodes) {
        return "tree " + t + " ends at node " + to + ", past the node count " + nodes;
      }
      for (int n = from; n < to; n++) {
        if (feature[n] < 0) {
          if (feature[n] != -1 || !Double.isFinite(value[n])) {
            return "node " + n + " is neither a split nor a leaf with a finite value";
          }
          continue;
        }
        if (feature[n] >= predictors || Double.isNaN(threshold[n])) {
          return "node " + n + " splits on feature " + feature[n] + " of " + predictors + " at " + threshold[n];
        }
        // Children after their parent and inside its tree: every path ends, within the tree.
        for (int child : new int[] {trueChild[n], falseChild[n]}) {
          if (child <= n || child >= to) {
            return "node " + n + " of tree " + t + " has child " + child + " outside (" + n + ", " + to + ")";
          }
          depth[child] = Math.max(depth[child], depth[n] + 1);
          if (depth[child] > MAX_DEPTH) {
            return "tree " + t + " is deeper than " + MAX_DEPTH;
          }
        }
      }
    }
    return null;
  }
}
