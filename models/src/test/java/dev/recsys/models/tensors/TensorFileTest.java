package dev.recsys.models.tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TensorFileTest {

  @TempDir Path dir;

  @Test
  void writeThenRead_roundTripsEveryDtype() throws IOException {
    Path f = dir.resolve("t.safetensors");
    new TensorFile.Writer()
        .floats("centroids", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
        .ints("offsets", new int[] {0, 2, 5})
        .longs("ids", new long[] {7, 1L << 40})
        .u8("text", "Amélie".getBytes(StandardCharsets.UTF_8))
        .metadata("kind", "test")
        .write(f);

    TensorFile t = TensorFile.read(f);

    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.get("centroids").requireShape(2, 3).floats());
    assertArrayEquals(new int[] {0, 2, 5}, t.get("offsets").ints());
    assertArrayEquals(new long[] {7, 1L << 40}, t.get("ids").longs());
    assertEquals("Amélie", new String(t.get("text").u8(), StandardCharsets.UTF_8));
    assertEquals("test", t.metadata().get("kind"));
    // Data starts 8-byte aligned.
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (headerLength + 8) % 8);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
      "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}",
      "[1,2]",
      "{nope"
  })
  void parse_malformedHeader_isRefusedWithAReason(String header) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json).putLong(0);
    b.flip();
    IOException e = assertThrows(IOException.class, () -> TensorFile.parse(b, "x"));
    assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
  }

  @Test
  void parse_absurdHeaderLength_isRefused() {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(0);
    b.flip();
    assertThrows(IOException.class, () -> TensorFile.parse(b, "x"));
  }

  /** Shapes whose element count or numbers do not fit: refused as malformed, not an arithmetic or JSON exception. */
  @Test
  void parse_hugeShapesAndOffsets_areRefusedNamingTheTensor() {
    String[][] cases = {
        {"{\"t\": {\"dtype\": \"F32\", \"shape\": [2147483647, 2147483647, 2147483647], \"data_offsets\": [0, 4]}}", "more than"},
        {"{\"t\": {\"dtype\": \"F32\", \"shape\": [99999999999999999999], \"data_offsets\": [0, 4]}}", "bad dimension"},
        {"{\"t\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 99999999999999999999]}}", "not integers of 64 bits"},
    };
    for (String[] c : cases) {
      byte[] header = c[0].getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(8 + header.length + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).putInt(0);
      b.flip();
      IOException e = assertThrows(IOException.class, () -> TensorFile.parse(b, "x"), c[0]);
      assertTrue(e.getMessage().contains("tensor 't'") && e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void firstNonFinite_findsNaNAndInfinities_andPassesEveryFiniteValue() {
    float[] finite = {0f, -0f, 1f, -Float.MAX_VALUE, Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_NORMAL, 1e-40f};
    assertEquals(-1, Tensor.firstNonFinite(finite));
    assertEquals(-1, Tensor.firstNonFinite(new float[0]));
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)}) {
      float[] values = new float[1000];
      values[637] = bad;
      values[900] = bad;
      assertEquals(637, Tensor.firstNonFinite(values), "value " + bad);
    }
  }
}
