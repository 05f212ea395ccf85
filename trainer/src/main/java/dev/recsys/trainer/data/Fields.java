package dev.recsys.trainer.data;

/**
 * Splitting and number parsing on raw line bytes, without allocation. Parse failures return
 * sentinels ({@link #NO_LONG}, {@code NaN}) rather than throwing, so a malformed line costs no more
 * than a good one.
 */
final class Fields {

  static final long NO_LONG = Long.MIN_VALUE;

  private Fields() {}

  /**
   * Splits {@code buf[start, end)} at each occurrence of {@code sep}, writing field bounds into
   * {@code starts}/{@code ends}.
   *
   * @return the number of fields, or {@code starts.length + 1} if there are more than fit
   */
  static int split(byte[] buf, int start, int end, byte[] sep, int[] starts, int[] ends) {
    int count = 0;
    int fieldStart = start;
    int i = start;
    int last = end - sep.length;
    while (i <= last) {
      if (buf[i] == sep[0] && (sep.length == 1 || buf[i + 1] == sep[1])) {
        if (count == starts.length) {
          return starts.length + 1;
        }
        starts[count] = fieldStart;
        ends[count++] = i;
        i += sep.length;
        fieldStart = i;
      } else {
        i++;
      }
    }
    if (count == starts.length) {
      return starts.length + 1;
    }
    starts[count] = fieldStart;
    ends[count++] = end;
    return count;
  }

  /** A decimal integer (optional sign, surrounding spaces allowed), or {@link #NO_LONG}. */
  static long parseLong(byte[] buf, int start, int end) {
    while (start < end && buf[start] == ' ') {
      start++;
    }
    while (end > start && buf[end - 1] == ' ') {
      end--;
    }
    if (start == end) {
      return NO_LONG;
    }
    boolean negative = buf[start] == '-';
    if (negative || buf[start] == '+') {
      start++;
    }
    if (start == end || end - start > 18) {
      return NO_LONG;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        return NO_LONG;
      }
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  /** A decimal number such as {@code 4}, {@code 3.5} or {@code 4.0e0}, or NaN. */
  static double parseDouble(byte[] buf, int start, int end) {
    while (start < end && buf[start] == ' ') {
      start++;
    }
    while (end > start && buf[end - 1] == ' ') {
      end--;
    }
    if (start == end || end - start > 32) {
      return Double.NaN;
    }
    // Fast path for the plain "d", "d.d" forms of every MovieLens file; at most 15 digits before the
    // point (exact in a long and a double), longer numbers take the general parser (19 digits
    // wrapped the long: 18446744073709551620 read as 4).
    long intPart = 0;
    int i = start;
    boolean digits = false;
    while (i < end && buf[i] >= '0' && buf[i] <= '9' && i - start < 15) {
      intPart = intPart * 10 + (buf[i++] - '0');
      digits = true;
    }
    if (i == end && digits) {
      return intPart;
    }
    if (buf[i] == '.' && digits) {
      long frac = 0;
      long scale = 1;
      int j = i + 1;
      while (j < end && buf[j] >= '0' && buf[j] <= '9' && scale < 1_000_000_000L) {
        frac = frac * 10 + (buf[j++] - '0');
        scale *= 10;
      }
      if (j == end) {
        return intPart + (double) frac / scale;
      }
    }
    try {
      return Double.parseDouble(new String(buf, start, end - start, java.nio.charset.StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
