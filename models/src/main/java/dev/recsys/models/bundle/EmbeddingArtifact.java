package dev.recsys.models.bundle;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.tensors.Tensor;
import dev.recsys.models.tensors.TensorFile;
import dev.recsys.models.torchscript.TorchScriptWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An embedding model's parameters as data (safetensors): what the server reads. The same model is
 * also published as TorchScript for PyTorch consumers, but TorchScript is code, and the server
 * never executes a file a registry writer could have crafted; the trainer proves the two files
 * hold the same numbers before it publishes. Tensor names follow the TorchScript module's
 * parameters.
 */
public final class EmbeddingArtifact {

  public static final String USER_EMB = TorchScriptWriter.USER_EMB;
  public static final String ITEM_EMB = TorchScriptWriter.ITEM_EMB;
  public static final String USER_BIAS = TorchScriptWriter.USER_BIAS;
  public static final String ITEM_BIAS = TorchScriptWriter.ITEM_BIAS;
  public static final String GLOBAL_BIAS = TorchScriptWriter.GLOBAL_BIAS;

  private EmbeddingArtifact() {}

  public static void write(EmbeddingTables model, Path file) throws IOException {
    new TensorFile.Writer()
        .floats(USER_EMB, model.userEmbeddings(), model.users(), model.dim())
        .floats(ITEM_EMB, model.itemEmbeddings(), model.items(), model.dim())
        .floats(USER_BIAS, model.userBiases(), model.users())
        .floats(ITEM_BIAS, model.itemBiases(), model.items())
        .floats(GLOBAL_BIAS, new float[] {model.globalBias()}, 1)
        .write(file);
  }

  /** Reads and checks the tables: consistent shapes, every value finite. */
  public static EmbeddingTables read(Path file) throws IOException {
    TensorFile f = TensorFile.read(file);
    String what = file.getFileName().toString();
    try {
      Tensor users = f.get(USER_EMB).requireShape(-1, -1);
      int u = Math.toIntExact(users.shape()[0]);
      int d = Math.toIntExact(users.shape()[1]);
      Tensor items = f.get(ITEM_EMB).requireShape(-1, d);
      int i = Math.toIntExact(items.shape()[0]);
      EmbeddingTables tables = new EmbeddingTables(u, i, d, users.floats(), items.floats(), f.get(USER_BIAS).requireShape(u).floats(),
          f.get(ITEM_BIAS).requireShape(i).floats(), f.get(GLOBAL_BIAS).requireShape(1).floats()[0]);
      String bad = tables.firstNonFinite();
      if (bad != null) {
        throw new IOException(what + " holds a non-finite value: " + bad);
      }
      return tables;
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      throw new IOException(what + ": " + dev.recsys.models.console.Messages.describe(e), e);
    }
  }
}
