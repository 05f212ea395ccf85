package dev.recsys.models.tensors;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes safetensors files. Reading validates everything before trusting it: the header
 * length, the JSON, each dtype and shape, and that each byte range lies inside the file, matches its
 * shape and does not overlap another; a violation is an {@link IOException} naming the problem.
 */
public final class TensorFile {

  /** Headers larger than this are refused (ours are a few kB). */
  static final long MAX_HEADER = 16L << 20;

  private final Map<String, Tensor> tensors;
  private final Map<String, String> metadata;

  private TensorFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    this.tensors = Collections.unmodifiableMap(tensors);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /** The tensor of this name. */
  public Tensor get(String name) throws IOException {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IOException("tensor file has no '" + name + "' (has " + tensors.keySet() + ")");
    }
    return t;
  }

  public Optional<Tensor> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  public Map<String, Tensor> tensors() {
    return tensors;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads a whole file into memory. */
  public static TensorFile read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException(file.getFileName() + " is larger than 2 GB");
      }
      ByteBuffer all = ByteBuffer.allocate((int) size);
      while (all.hasRemaining() && channel.read(all) >= 0) {
        // read fully
      }
      all.flip();
      return parse(all, file.getFileName().toString());
    }
  }

  /** Parses file content; {@code what} names it in errors. */
  public static TensorFile parse(ByteBuffer content, String what) throws IOException {
    ByteBuffer buf = content.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (buf.remaining() < 8) {
      throw new IOException(what + ": too short for a tensor file");
    }
    long headerLength = buf.getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > buf.remaining()) {
      throw new IOException(what + ": bad header length " + headerLength);
    }
    byte[] headerBytes = new byte[(int) headerLength];
    buf.get(headerBytes);
    ByteBuffer data = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    JsonNode header;
    try {
      header = Json.MAPPER.readTree(new String(headerBytes, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new IOException(what + ": header is not JSON: " + e.getOriginalMessage(), e);
    }
    if (header == null || !header.isObject()) {
      throw new IOException(what + ": header is not a JSON object");
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    List<long[]> ranges = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : header.properties()) {
      String name = e.getKey();
      JsonNode spec = e.getValue();
      if (name.equals("__metadata__")) {
        if (!spec.isObject()) {
          throw new IOException(what + ": __metadata__ is not an object");
        }
        for (Map.Entry<String, JsonNode> m : spec.properties()) {
          metadata.put(m.getKey(), m.getValue().asString(""));
        }
        continue;
      }
      tensors.put(name, tensor(what, name, spec, data, ranges));
    }
    ranges.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < ranges.size(); i++) {
      if (ranges.get(i)[0] < ranges.get(i - 1)[1]) {
        throw new IOException(what + ": tensors overlap");
      }
    }
    return new TensorFile(tensors, metadata);
  }

  private static Tensor tensor(String what, String name, JsonNode spec, ByteBuffer data, List<long[]> ranges)
      throws IOException {
    String where = what + ": tensor '" + name + "'";
    if (!spec.isObject()) {
      throw new IOException(where + " is not an object");
    }
    Tensor.DType dtype;
    try {
      dtype = Tensor.DType.valueOf(spec.path("dtype").asString(""));
    } catch (IllegalArgumentException e) {
      throw new IOException(where + " has unsupported dtype '" + spec.path("dtype").asString("") + "'");
    }
    JsonNode shapeNode = spec.path("shape");
    JsonNode offsets = spec.path("data_offsets");
    if (!shapeNode.isArray() || shapeNode.size() > 8 || !offsets.isArray() || offsets.size() != 2) {
      throw new IOException(where + " needs a shape array and two data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
        throw new IOException(where + " has a bad dimension " + d);
      }
      shape[i] = d.asLong();
      // Both factors are at most 2^31 - 1 here, so the product cannot overflow a long.
      numel *= shape[i];
      if (numel > Integer.MAX_VALUE) {
        throw new IOException(where + " has shape " + shapeNode + ": more than " + Integer.MAX_VALUE + " elements");
      }
    }
    if (!offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber() || !offsets.get(0).canConvertToLong()
        || !offsets.get(1).canConvertToLong()) {
      throw new IOException(where + " has data_offsets that are not integers of 64 bits");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin || end > data.capacity()) {
      throw new IOException(where + " has data_offsets [" + begin + ", " + end + "] outside the " + data.capacity() + " data bytes");
    }
    if (numel > Integer.MAX_VALUE || end - begin != numel * dtype.bytes()) {
      throw new IOException(where + ": " + (end - begin) + " bytes do not hold shape " + java.util.Arrays.toString(shape) + " of " + dtype);
    }
    ranges.add(new long[] {begin, end});
    ByteBuffer slice = data.slice((int) begin, (int) (end - begin)).asReadOnlyBuffer();
    return new Tensor(name, dtype, shape, slice);
  }

  /** Collects tensors, then writes them in one file. Not thread-safe. */
  public static final class Writer {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public Writer floats(String name, float[] values, long... shape) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return add(name, Tensor.DType.F32, shape.length == 0 ? new long[] {values.length} : shape, b, values.length);
    }

    public Writer doubles(String name, double[] values, long... shape) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(values);
      return add(name, Tensor.DType.F64, shape.length == 0 ? new long[] {values.length} : shape, b, values.length);
    }

    public Writer ints(String name, int[] values, long... shape) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(values);
      return add(name, Tensor.DType.I32, shape.length == 0 ? new long[] {values.length} : shape, b, values.length);
    }

    public Writer longs(String name, long[] values, long... shape) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(values);
      return add(name, Tensor.DType.I64, shape.length == 0 ? new long[] {values.length} : shape, b, values.length);
    }

    /** A U8 tensor (raw bytes, e.g. UTF-8 text). */
    public Writer u8(String name, byte[] values, long... shape) {
      return add(name, Tensor.DType.U8, shape.length == 0 ? new long[] {values.length} : shape, ByteBuffer.wrap(values.clone()), values.length);
    }

    public Writer metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    private Writer add(String name, Tensor.DType dtype, long[] shape, ByteBuffer data, long count) {
      long numel = 1;
      for (long d : shape) {
        numel *= d;
      }
      if (numel != count) {
        throw new IllegalArgumentException(name + ": shape " + java.util.Arrays.toString(shape) + " does not hold " + count + " values");
      }
      if (tensors.put(name, new Tensor(name, dtype, shape.clone(), data)) != null) {
        throw new IllegalArgumentException("tensor " + name + " added twice");
      }
      return this;
    }

    /** Writes the file durably. */
    public void write(Path file) throws IOException {
      ObjectNode header = Json.object();
      if (!metadata.isEmpty()) {
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
      }
      long offset = 0;
      for (Tensor t : tensors.values()) {
        ObjectNode spec = header.putObject(t.name());
        spec.put("dtype", t.dtype().name());
        var shape = spec.putArray("shape");
        for (long d : t.shape()) {
          shape.add(d);
        }
        var offsets = spec.putArray("data_offsets");
        offsets.add(offset);
        offset += t.data().capacity();
        offsets.add(offset);
      }
      byte[] json = Json.MAPPER.writer().without(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(header);
      // Pad the header with spaces so the data starts 8-byte aligned, as the format recommends.
      int padded = (json.length + 8 + 7) / 8 * 8 - 8;
      byte[] headerBytes = java.util.Arrays.copyOf(json, padded);
      java.util.Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
      AtomicFiles.writeDurably(
          file,
          out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            for (Tensor t : tensors.values()) {
              ByteBuffer d = t.data().duplicate();
              d.rewind();
              byte[] bytes = new byte[d.remaining()];
              d.get(bytes);
              out.write(bytes);
            }
          });
    }
  }
}
