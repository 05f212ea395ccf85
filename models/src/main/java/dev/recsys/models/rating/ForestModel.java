package dev.recsys.models.rating;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.regression.RandomForest;

/**
 * The Random Forest hybrid: Smile's regression forest over {@link HybridFeatures}. The forest is
 * stored with Java serialisation (Smile's format), read back through a deserialisation filter that
 * admits only Smile's and the JDK's value classes, so a tampered file cannot instantiate arbitrary
 * classes. Thread-safe.
 */
public final class ForestModel implements RatingPredictor {

  /** File name inside a model version. */
  public static final String FILE = "forest.bin";

  /** Manifest role. */
  public static final String ROLE = "rating_forest";

  /** Name of the target column in the training frame. */
  public static final String TARGET = "rating";

  private static final ObjectInputFilter FILTER =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=64;maxrefs=50000000;maxarray=100000000;"
              + "smile.**;java.lang.*;java.lang.invoke.SerializedLambda;java.util.*;java.util.function.*;"
              + "java.lang.Enum;java.lang.Number;java.lang.Record;[*;!*");

  private final RandomForest forest;
  private final HybridFeatures features;
  private final StructType schema;

  /** Binds a forest read from a file to the features of the version it belongs to. */
  @FunctionalInterface
  public interface Reader {
    ForestModel read(HybridFeatures features) throws java.io.IOException;
  }

  /**
   * Binds a forest to its features. The forest's own schema says which features it was trained
   * on: a forest from before a feature existed simply does not use it, while a forest asking for a
   * feature these sources cannot compute is refused.
   *
   * @throws IllegalArgumentException naming the first column the features cannot provide
   */
  public ForestModel(RandomForest forest, HybridFeatures features) {
    this.forest = forest;
    this.features = features;
    this.schema = forest.schema();
    if (schema.indexOf(HybridFeatures.IMPLICIT_SCORE) >= 0 && !features.hasImplicit()) {
      throw new IllegalArgumentException("forest needs " + HybridFeatures.IMPLICIT_SCORE + " but the version has no implicit factors");
    }
    List<String> known = features.names();
    for (var field : schema.fields()) {
      if (!field.name().equals(TARGET) && !known.contains(field.name())) {
        throw new IllegalArgumentException("forest needs feature " + field.name() + ", which this build does not compute");
      }
    }
  }

  public RandomForest forest() {
    return forest;
  }

  @Override
  public float predict(int user, int movie) {
    double[] x = new double[schema.length()];
    double[] f = new double[features.size()];
    features.fill(user, movie, f);
    // The schema orders the columns; the target column (present in the schema) stays 0.
    List<String> names = features.names();
    for (int i = 0; i < f.length; i++) {
      int column = schema.indexOf(names.get(i));
      if (column >= 0) {
        x[column] = f[i];
      }
    }
    return (float) forest.predict(Tuple.of(schema, x));
  }

  /** Feature importances by name, as Smile computes them (total impurity decrease). */
  public java.util.Map<String, Double> importances() {
    double[] imp = forest.importance();
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    // Importances follow the schema's predictor columns (the target excluded).
    int i = 0;
    for (var field : schema.fields()) {
      if (!field.name().equals(TARGET) && i < imp.length) {
        out.put(field.name(), imp[i++]);
      }
    }
    return out;
  }

  public void write(Path file) throws IOException {
    dev.recsys.models.io.AtomicFiles.writeDurably(
        file,
        out -> {
          ObjectOutputStream o = new ObjectOutputStream(out);
          o.writeObject(forest);
          o.flush();
        });
  }

  /** Reads a forest file through the deserialisation filter. */
  public static RandomForest readForest(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        ObjectInputStream o = new ObjectInputStream(new java.io.BufferedInputStream(in))) {
      o.setObjectInputFilter(FILTER);
      Object read = o.readObject();
      if (!(read instanceof RandomForest rf)) {
        throw new IOException(FILE + " holds a " + read.getClass().getName() + ", not a random forest");
      }
      return rf;
    } catch (ClassNotFoundException | java.io.InvalidClassException | ClassCastException e) {
      throw new IOException(FILE + " is not a readable forest: " + e.getMessage(), e);
    }
  }

}
