package dev.recsys.models.torchscript;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import dev.recsys.models.embedding.EmbeddingTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A TorchScript embedding model loaded through DJL's PyTorch engine. Gives the parameters as
 * {@link EmbeddingTables} (checked: expected names, consistent shapes, finite values) and runs the
 * module's own {@code forward}. Thread-safe for {@link #forward} (a predictor per call); close it to
 * free the native memory.
 */
public final class TorchScriptModel implements AutoCloseable {

  private final ZooModel<NDList, NDList> model;
  private final Map<String, NDArray> parameters;

  private TorchScriptModel(ZooModel<NDList, NDList> model, Map<String, NDArray> parameters) {
    this.model = model;
    this.parameters = parameters;
  }

  /**
   * Loads a TorchScript file.
   *
   * @param device where the module's tensors live ({@link Device#cpu()} or a GPU)
   * @throws IOException if the file is missing, not TorchScript, or lacks the expected parameters
   */
  public static TorchScriptModel load(Path file, Device device) throws IOException {
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            // The folder plus the model name (file name without .pt) is DJL's layout for a model file.
            .optModelPath(file.toAbsolutePath().getParent())
            .optModelName(modelName(file))
            .optEngine("PyTorch")
            .optDevice(device)
            .optTranslator(new NoopTranslator())
            .optOption("mapLocation", "true")
            .build();
    ZooModel<NDList, NDList> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
      throw new IOException("cannot load TorchScript " + file.getFileName() + ": " + e.getMessage(), e);
    }
    Map<String, NDArray> params = new HashMap<>();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      params.put(p.getKey(), p.getValue().getArray());
    }
    for (String name :
        new String[] {
          TorchScriptWriter.USER_EMB, TorchScriptWriter.ITEM_EMB, TorchScriptWriter.USER_BIAS, TorchScriptWriter.ITEM_BIAS
        }) {
      if (!params.containsKey(name)) {
        model.close();
        throw new IOException(file.getFileName() + " has no parameter '" + name + "' (has " + params.keySet() + ")");
      }
    }
    return new TorchScriptModel(model, params);
  }

  private static String modelName(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".pt")) {
      throw new IllegalArgumentException("TorchScript files end in .pt: " + name);
    }
    return name.substring(0, name.length() - 3);
  }

  /** A parameter tensor on the model's device (owned by the model: do not close). */
  public NDArray parameter(String name) {
    return parameters.get(name);
  }

  /** The model's manager, for tensors that must live as long as the model. */
  public NDManager manager() {
    return model.getNDManager();
  }

  /**
   * Copies the parameters into Java arrays and checks them.
   *
   * @param globalBias the module's {@code global_bias} attribute (DJL exposes parameters, not
   *     attributes; the manifest records it and {@link #forward} proves the two agree)
   * @throws IOException on inconsistent shapes or non-finite values
   */
  public EmbeddingTables tables(float globalBias) throws IOException {
    Shape u = parameter(TorchScriptWriter.USER_EMB).getShape();
    Shape i = parameter(TorchScriptWriter.ITEM_EMB).getShape();
    Shape ub = parameter(TorchScriptWriter.USER_BIAS).getShape();
    Shape ib = parameter(TorchScriptWriter.ITEM_BIAS).getShape();
    if (u.dimension() != 2 || i.dimension() != 2 || u.get(1) != i.get(1)
        || ub.dimension() != 1 || ib.dimension() != 1 || ub.get(0) != u.get(0) || ib.get(0) != i.get(0)) {
      throw new IOException("inconsistent embedding shapes: user " + u + ", item " + i + ", user bias " + ub + ", item bias " + ib);
    }
    EmbeddingTables tables;
    try {
      tables =
          new EmbeddingTables(
              (int) u.get(0), (int) i.get(0), (int) u.get(1),
              toFloats(TorchScriptWriter.USER_EMB), toFloats(TorchScriptWriter.ITEM_EMB),
              toFloats(TorchScriptWriter.USER_BIAS), toFloats(TorchScriptWriter.ITEM_BIAS), globalBias);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid embedding model: " + e.getMessage(), e);
    }
    String bad = tables.firstNonFinite();
    if (bad != null) {
      throw new IOException("embedding model holds a non-finite value: " + bad);
    }
    return tables;
  }

  private float[] toFloats(String name) {
    NDArray a = parameter(name);
    return a.getDevice().equals(Device.cpu()) ? a.toFloatArray() : a.toDevice(Device.cpu(), true).toFloatArray();
  }

  /** Runs the module's {@code forward(users, items)} on pairs of indexes. */
  public float[] forward(long[] users, long[] items) throws IOException {
    if (users.length != items.length) {
      throw new IllegalArgumentException("users and items differ in length");
    }
    try (NDManager scope = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      NDList input = new NDList(scope.create(users), scope.create(items));
      NDList output = predictor.predict(input);
      float[] scores = output.singletonOrThrow().toFloatArray();
      output.close();
      return scores;
    } catch (TranslateException e) {
      throw new IOException("TorchScript forward failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
