package dev.recsys.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes without creating a String per line: the current line is
 * {@code buffer()[start(), end())}, valid until the next call to {@link #next()}. Strips {@code \r\n}
 * and {@code \n}. Made for files of tens of millions of short lines. Not thread-safe.
 */
final class LineReader {

  /** Longest line read (MovieLens lines are under a few kilobytes). */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private byte[] buf = new byte[1 << 20];
  private int pos;
  private int limit;
  private int start;
  private int end;
  private long lineNumber;
  private long bytesRead;
  private boolean eof;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of input. */
  boolean next() throws IOException {
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          start = pos;
          end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          pos = i + 1;
          lineNumber++;
          return true;
        }
      }
      if (eof) {
        if (pos < limit) {
          start = pos;
          end = buf[limit - 1] == '\r' ? limit - 1 : limit;
          pos = limit;
          lineNumber++;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      // A single line longer than the buffer: grow, up to a bound no MovieLens line comes near, so a
      // file of one endless line (a zip bomb, a binary file) is refused instead of filling the heap.
      if (buf.length >= MAX_LINE_BYTES) {
        throw new IOException("line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES + " bytes: not a MovieLens text file");
      }
      buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES));
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
      bytesRead += n;
    }
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  /** 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }

  /** Bytes consumed from the stream so far (for progress). */
  long bytesRead() {
    return bytesRead;
  }

  /** The current line decoded as text (for error reports only). */
  String text(java.nio.charset.Charset charset) {
    return new String(buf, start, end - start, charset);
  }
}
