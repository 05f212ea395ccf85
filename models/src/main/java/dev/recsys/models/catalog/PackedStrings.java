package dev.recsys.models.catalog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Many short strings in two arrays: their UTF-8 bytes back to back, and where each one ends. A
 * {@code String[]} holds two objects per string (the string and its byte array): at 10M movies the
 * titles and title keys were 20 million objects, which every young collection during a version's
 * load had to copy (pauses up to 1 s, docs/benchmarks.md section 3); two arrays are never copied.
 * {@link #get} makes a new {@code String} per call. Immutable and thread-safe.
 */
public final class PackedStrings {

  private final byte[] utf8;
  private final int[] ends;

  private PackedStrings(byte[] utf8, int[] ends) {
    this.utf8 = utf8;
    this.ends = ends;
  }

  /** The strings of {@code strings}, in order. */
  public static PackedStrings of(List<String> strings) {
    byte[][] encoded = new byte[strings.size()][];
    long total = 0;
    for (int i = 0; i < encoded.length; i++) {
      if (strings.get(i) == null) {
        throw new IllegalArgumentException("string " + i + " is missing (null)");
      }
      encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
      total += encoded[i].length;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(strings.size() + " strings hold " + total + " bytes of UTF-8, more than one array can (2 GB)");
    }
    byte[] utf8 = new byte[(int) total];
    int[] ends = new int[encoded.length];
    int at = 0;
    for (int i = 0; i < encoded.length; i++) {
      System.arraycopy(encoded[i], 0, utf8, at, encoded[i].length);
      at += encoded[i].length;
      ends[i] = at;
    }
    return new PackedStrings(utf8, ends);
  }

  /** The strings of {@code strings}, in order. */
  public static PackedStrings of(String... strings) {
    return of(Arrays.asList(strings));
  }

  /**
   * Strings already packed (as {@link #utf8()} and {@link #ends()} give them, e.g. read from a
   * file), taken without copying after a check: ends ascending within the bytes, and each string
   * valid UTF-8 on its own.
   *
   * @throws IllegalArgumentException naming the first string that is not
   */
  public static PackedStrings ofUtf8(byte[] utf8, int[] ends) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    CharBuffer chars = CharBuffer.allocate(256);
    int from = 0;
    for (int i = 0; i < ends.length; i++) {
      if (ends[i] < from || ends[i] > utf8.length) {
        throw new IllegalArgumentException("string " + i + " ends at byte " + ends[i] + ", outside " + from + ".." + utf8.length);
      }
      // Decoded into one reused buffer: a check, not a copy.
      decoder.reset();
      ByteBuffer in = ByteBuffer.wrap(utf8, from, ends[i] - from);
      CoderResult result;
      do {
        chars.clear();
        result = decoder.decode(in, chars, true);
      } while (result.isOverflow());
      if (result.isError() || decoder.flush(chars.clear()).isError()) {
        throw new IllegalArgumentException("string " + i + " is not UTF-8");
      }
      from = ends[i];
    }
    return new PackedStrings(utf8, ends);
  }

  public int size() {
    return ends.length;
  }

  /** Where string {@code i}'s bytes begin in {@link #utf8()}. */
  public int start(int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  /** Where string {@code i}'s bytes end in {@link #utf8()} (exclusive). */
  public int end(int i) {
    return ends[i];
  }

  /** String {@code i}. */
  public String get(int i) {
    int from = start(i);
    return new String(utf8, from, ends[i] - from, StandardCharsets.UTF_8);
  }

  /** Whether string {@code i} is empty. */
  public boolean isEmpty(int i) {
    return ends[i] == start(i);
  }

  /** Whether string {@code i} is the string whose UTF-8 bytes are {@code other}. */
  public boolean equalsUtf8(int i, byte[] other) {
    return Arrays.equals(utf8, start(i), ends[i], other, 0, other.length);
  }

  /** Whether strings {@code i} and {@code j} are equal. */
  public boolean equal(int i, int j) {
    return Arrays.equals(utf8, start(i), ends[i], utf8, start(j), ends[j]);
  }

  /** A hash of string {@code i}'s bytes, equal to {@link #hash(byte[])} of them. */
  public int hash(int i) {
    return hash(utf8, start(i), ends[i]);
  }

  /** The hash {@link #hash(int)} gives a string whose UTF-8 bytes are {@code bytes}. */
  public static int hash(byte[] bytes) {
    return hash(bytes, 0, bytes.length);
  }

  private static int hash(byte[] bytes, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  /** The bytes of every string, back to back (this object's array: do not change it). */
  public byte[] utf8() {
    return utf8;
  }

  /** Where each string's bytes end (this object's array: do not change it). */
  public int[] ends() {
    return ends;
  }

  /** Every string, as a list (for tests and small catalogues). */
  public List<String> toList() {
    String[] out = new String[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return List.of(out);
  }
}
