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

  /** Bytes a row takes in {@link RawRatings} (two longs, a float, an int). */
  static final int BYTES_PER_ROW = 24;

  /**
   * Most rows reserved up front from a declared size: what a quarter of the heap holds (at least
   * 4 million rows), so a real 25M-rating file is still read without regrowth on an 8 GB heap, while
   * a declared size no heap could hold is never reserved; more rows grow as they are read.
   */
  static int maxReservedRows() {
    return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1L << 22, Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_ROW));
  }

  private final DataQuality quality;

  RatingFileParser(DataQuality quality) {
    this.quality = quality;
  }

  RawRatings parse(DataSource source, String file, Layout layout, Progress progress) throws IOException {
    long size = source.size(file);
    // A MovieLens rating line is 15-30 bytes; reserving for 20 avoids most regrowth. The size is
    // what the file (or a zip entry's header) declares, so the reservation is capped: a tiny zip
    // declaring a 4 GB entry must not reserve 4 GB of arrays; the table grows as rows arrive.
    RawRatings raw = new RawRatings(size > 0 ? (int) Math.min(maxReservedRows(), size / 20) : 1 << 16);
    RatingLines rules = new RatingLines(layout.ratingSeparator());
    RatingLines.Parsed parsed = new RatingLines.Parsed();
    try (InputStream in = source.open(file)) {
      LineReader lines = new LineReader(in);
      long reported = 0;
      while (lines.next()) {
        if (lines.bytesRead() - reported > (1 << 22)) {
          reported = lines.bytesRead();
          progress.set(reported);
        }
        if (lines.end() == lines.start()) {
          continue;
        }
        Issue issue = rules.parse(lines.buffer(), lines.start(), lines.end(), lines.lineNumber() == 1, parsed);
        if (issue == Issue.HEADER_LINE) {
          quality.record(issue, file + ":1: " + lines.text(StandardCharsets.UTF_8));
        } else if (issue != null) {
          quality.record(issue, () -> where(file, lines));
        } else {
          raw.add(parsed.user, parsed.movie, parsed.rating, parsed.time);
        }
      }
      progress.set(lines.bytesRead());
    }
    return raw;
  }

  private static String where(String file, LineReader lines) {
    return file + ":" + lines.lineNumber() + ": " + lines.text(StandardCharsets.UTF_8);
  }
}
