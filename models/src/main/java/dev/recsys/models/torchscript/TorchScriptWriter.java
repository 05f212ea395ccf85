package dev.recsys.models.torchscript;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an {@link EmbeddingTables} model as a TorchScript archive whose
 * {@code forward(users: Tensor, items: Tensor) -> Tensor} returns the pairwise scores
 * {@code global_bias + user_bias[u] + item_bias[i] + <user_emb[u], item_emb[i]>} for int64 index
 * tensors of equal length.
 *
 * <p>Archive layout (as written by {@code torch.jit.save}): {@code <top>/version},
 * {@code <top>/constants.pkl}, {@code <top>/code/__torch__.py} (the class source),
 * {@code <top>/data.pkl} (the module object, pickle protocol 2, tensors as persistent ids) and
 * {@code <top>/data/<n>} (raw little-endian float32 storages). Entries are stored uncompressed, as
 * torch writes them.
 */
public final class TorchScriptWriter {

  /** The TorchScript class name of embedding models. */
  public static final String CLASS_NAME = "BiasedEmbeddingModel";

  /** Parameter names, in the order of the class's {@code __parameters__}. */
  public static final String USER_EMB = "user_emb";
  public static final String ITEM_EMB = "item_emb";
  public static final String USER_BIAS = "user_bias";
  public static final String ITEM_BIAS = "item_bias";
  public static final String GLOBAL_BIAS = "global_bias";

  private static final String TOP = "model";

  private TorchScriptWriter() {}

  /** Writes the archive durably (fsynced) to {@code file}. */
  public static void write(EmbeddingTables model, Path file) throws IOException {
    AtomicFiles.writeDurably(file, out -> write(model, out));
  }

  /** Writes the archive to a stream (not closed). */
  public static void write(EmbeddingTables model, OutputStream target) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(target);
    stored(zip, TOP + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    stored(zip, TOP + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    // A pickled empty tuple: the module has no constants.
    stored(zip, TOP + "/constants.pkl", new byte[] {(byte) 0x80, 0x02, 0x29, 0x2e});
    stored(zip, TOP + "/code/__torch__.py", source().getBytes(StandardCharsets.UTF_8));
    stored(zip, TOP + "/data.pkl", dataPickle(model));
    stored(zip, TOP + "/data/0", floats(model.userEmbeddings()));
    stored(zip, TOP + "/data/1", floats(model.itemEmbeddings()));
    stored(zip, TOP + "/data/2", floats(model.userBiases()));
    stored(zip, TOP + "/data/3", floats(model.itemBiases()));
    zip.finish();
  }

  static String source() {
    return """
        class %1$s(Module):
          __parameters__ = ["%2$s", "%3$s", "%4$s", "%5$s", ]
          __buffers__ = []
          %2$s : Tensor
          %3$s : Tensor
          %4$s : Tensor
          %5$s : Tensor
          %6$s : float
          training : bool
          def forward(self: __torch__.%1$s,
            users: Tensor,
            items: Tensor) -> Tensor:
            u = torch.embedding(self.%2$s, users)
            v = torch.embedding(self.%3$s, items)
            dot = torch.sum(torch.mul(u, v), [1])
            ub = torch.index_select(self.%4$s, 0, users)
            ib = torch.index_select(self.%5$s, 0, items)
            return torch.add(torch.add(torch.add(dot, ub), ib), self.%6$s)
        """
        .formatted(CLASS_NAME, USER_EMB, ITEM_EMB, USER_BIAS, ITEM_BIAS, GLOBAL_BIAS);
  }

  private static byte[] dataPickle(EmbeddingTables m) {
    PickleWriter p = new PickleWriter();
    p.global("__torch__", CLASS_NAME).emptyTuple().newObj();
    p.emptyDict().mark();
    p.string(USER_EMB);
    tensor(p, "0", m.users(), m.dim());
    p.string(ITEM_EMB);
    tensor(p, "1", m.items(), m.dim());
    p.string(USER_BIAS);
    tensor(p, "2", m.users());
    p.string(ITEM_BIAS);
    tensor(p, "3", m.items());
    p.string(GLOBAL_BIAS).floating(m.globalBias());
    p.string("training").bool(false);
    p.setItems().build();
    return p.finish();
  }

  /**
   * {@code torch._utils._rebuild_tensor_v2(storage, 0, sizes, strides, False, OrderedDict())} for a
   * contiguous float32 tensor whose storage is {@code data/<key>}.
   */
  private static void tensor(PickleWriter p, String key, long... sizes) {
    long numel = 1;
    for (long s : sizes) {
      numel *= s;
    }
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.mark();
    p.mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(numel).tuple();
    p.persistentId();
    p.integer(0);
    p.mark();
    for (long s : sizes) {
      p.integer(s);
    }
    p.tuple();
    p.mark();
    long stride = 1;
    long[] strides = new long[sizes.length];
    for (int i = sizes.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= sizes[i];
    }
    for (long s : strides) {
      p.integer(s);
    }
    p.tuple();
    p.bool(false);
    p.global("collections", "OrderedDict").emptyTuple().reduce();
    p.tuple();
    p.reduce();
  }

  private static byte[] floats(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(content.length);
    entry.setCompressedSize(content.length);
    CRC32 crc = new CRC32();
    crc.update(content);
    entry.setCrc(crc.getValue());
    // A fixed time keeps archives byte-identical for identical models (reproducible checksums).
    entry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }
}
