package dev.recsys.models.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the subset of Python's pickle protocol 2 that a TorchScript {@code data.pkl} uses: globals,
 * tuples, dicts, strings, ints, floats, booleans, persistent ids, reduce and build. Each method
 * emits one value (or operator) onto the pickle machine's stack, in the order Python's unpickler
 * expects. Not thread-safe.
 */
final class PickleWriter {

  private static final int PROTO = 0x80;
  private static final int GLOBAL = 'c';
  private static final int EMPTY_TUPLE = ')';
  private static final int MARK = '(';
  private static final int TUPLE = 't';
  private static final int EMPTY_DICT = '}';
  private static final int SETITEMS = 'u';
  private static final int BINUNICODE = 'X';
  private static final int BININT = 'J';
  private static final int LONG1 = 0x8a;
  private static final int BINFLOAT = 'G';
  private static final int NEWTRUE = 0x88;
  private static final int NEWFALSE = 0x89;
  private static final int NEWOBJ = 0x81;
  private static final int REDUCE = 'R';
  private static final int BUILD = 'b';
  private static final int BINPERSID = 'Q';
  private static final int STOP = '.';

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PickleWriter() {
    out.write(PROTO);
    out.write(2);
  }

  PickleWriter global(String module, String name) {
    out.write(GLOBAL);
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  PickleWriter emptyTuple() {
    out.write(EMPTY_TUPLE);
    return this;
  }

  PickleWriter mark() {
    out.write(MARK);
    return this;
  }

  /** Builds a tuple of everything pushed since the last {@link #mark()}. */
  PickleWriter tuple() {
    out.write(TUPLE);
    return this;
  }

  PickleWriter emptyDict() {
    out.write(EMPTY_DICT);
    return this;
  }

  /** Adds the key/value pairs pushed since the last {@link #mark()} to the dict below the mark. */
  PickleWriter setItems() {
    out.write(SETITEMS);
    return this;
  }

  PickleWriter string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.write(BINUNICODE);
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
    out.writeBytes(utf8);
    return this;
  }

  PickleWriter integer(long value) {
    if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      out.write(BININT);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
    } else {
      out.write(LONG1);
      out.write(8);
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }
    return this;
  }

  PickleWriter floating(double value) {
    out.write(BINFLOAT);
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(value).array());
    return this;
  }

  PickleWriter bool(boolean value) {
    out.write(value ? NEWTRUE : NEWFALSE);
    return this;
  }

  /** {@code cls.__new__(cls, *args)} with the class and the argument tuple on the stack. */
  PickleWriter newObj() {
    out.write(NEWOBJ);
    return this;
  }

  /** {@code callable(*args)} with the callable and the argument tuple on the stack. */
  PickleWriter reduce() {
    out.write(REDUCE);
    return this;
  }

  /** {@code obj.__setstate__(state)} with the object and the state on the stack. */
  PickleWriter build() {
    out.write(BUILD);
    return this;
  }

  /** Replaces the tuple on the stack by the object it identifies (torch storages). */
  PickleWriter persistentId() {
    out.write(BINPERSID);
    return this;
  }

  byte[] finish() {
    out.write(STOP);
    return out.toByteArray();
  }
}
