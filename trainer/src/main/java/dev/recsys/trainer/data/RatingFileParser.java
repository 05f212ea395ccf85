package dev.recsys.trainer.data;

import dev.recsys.models.console.Progress;
import dev.recsys.trainer.data.DataQuality.Issue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a rating file of any layout ({@code user, movie, rating, timestamp} per line) into
 * {@link RawRatings}, at tens of millions of lines per minute: no String per line, no boxing.
 * Malformed lines, bad ids and out-of-range ratings are dropped and counted.
 */
final class RatingFileParser {

  static final double MIN_RATING = 0.5;
  static final double MAX_RATING = 5.0;

  private final DataQuality quality;

  RatingFileParser(DataQuality quality) {
    this.quality = quality;
  }

  RawRatings parse(DataSource source, String file, Layout layout, Progress progress) throws IOException {
    long size = source.size(file);
    // A MovieLens rating line is 15-30 bytes; reserving for 20 avoids most regrowth.
    RawRatings raw = new RawRatings(size > 0 ? (int) Math.min(Integer.MAX_VALUE - 16, size / 20) : 1 << 16);
    byte[] sep = layout.ratingSeparator();
    int[] starts = new int[4];
    int[] ends = new int[4];
    try (InputStream in = source.open(file)) {
      LineReader lines = new LineReader(in);
      long reported = 0;
      while (lines.next()) {
        if (lines.bytesRead() - reported > (1 << 22)) {
          reported = lines.bytesRead();
          progress.set(reported);
        }
        byte[] buf = lines.buffer();
        int start = lines.start();
        int end = lines.end();
        if (end == start) {
          continue;
        }
        int count = Fields.split(buf, start, end, sep, starts, ends);
        if (count != 4) {
          if (lines.lineNumber() == 1 && isHeader(buf, start, end)) {
            quality.record(Issue.HEADER_LINE, file + ":1: " + lines.text(StandardCharsets.UTF_8));
          } else {
            quality.record(Issue.MALFORMED_RATING_LINE, () -> where(file, lines));
          }
          continue;
        }
        long user = Fields.parseLong(buf, starts[0], ends[0]);
        long movie = Fields.parseLong(buf, starts[1], ends[1]);
        double rating = Fields.parseDouble(buf, starts[2], ends[2]);
        long time = Fields.parseLong(buf, starts[3], ends[3]);
        if (user == Fields.NO_LONG || movie == Fields.NO_LONG || time == Fields.NO_LONG) {
          if (lines.lineNumber() == 1 && isHeader(buf, start, end)) {
            quality.record(Issue.HEADER_LINE, file + ":1: " + lines.text(StandardCharsets.UTF_8));
          } else {
            quality.record(Issue.MALFORMED_RATING_LINE, () -> where(file, lines));
          }
          continue;
        }
        if (Double.isNaN(rating) && !namesANonNumber(buf, starts[2], ends[2])) {
          quality.record(Issue.MALFORMED_RATING_LINE, () -> where(file, lines));
          continue;
        }
        if (user <= 0 || movie <= 0 || user > Integer.MAX_VALUE || movie > Integer.MAX_VALUE) {
          quality.record(Issue.INVALID_ID, () -> where(file, lines));
          continue;
        }
        if (!(rating >= MIN_RATING && rating <= MAX_RATING)) {
          quality.record(Issue.RATING_OUT_OF_RANGE, () -> where(file, lines));
          continue;
        }
        if (time < 0 || time > 0xFFFF_FFFFL) {
          quality.record(Issue.MALFORMED_RATING_LINE, () -> where(file, lines));
          continue;
        }
        raw.add(user, movie, (float) rating, (int) time);
      }
      progress.set(lines.bytesRead());
    }
    return raw;
  }

  private static boolean isHeader(byte[] buf, int start, int end) {
    for (int i = start; i < end; i++) {
      if (Character.isLetter(buf[i])) {
        return true;
      }
    }
    return false;
  }

  /** "NaN", "Infinity": numbers that parse but are no rating, so out of range, not malformed. */
  private static boolean namesANonNumber(byte[] buf, int start, int end) {
    String s = new String(buf, start, end - start, StandardCharsets.US_ASCII).strip().toLowerCase(java.util.Locale.ROOT);
    return s.matches("[+-]?(nan|inf|infinity)");
  }

  private static String where(String file, LineReader lines) {
    return file + ":" + lines.lineNumber() + ": " + lines.text(StandardCharsets.UTF_8);
  }
}
