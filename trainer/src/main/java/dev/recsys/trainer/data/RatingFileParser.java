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

  private final DataQuality quality;

  RatingFileParser(DataQuality quality) {
    this.quality = quality;
  }

  RawRatings parse(DataSource source, String file, Layout layout, Progress progress) throws IOException {
    long size = source.size(file);
    // A MovieLens rating line is 15-30 bytes; reserving for 20 avoids most regrowth.
    RawRatings raw = new RawRatings(size > 0 ? (int) Math.min(Integer.MAX_VALUE - 16, size / 20) : 1 << 16);
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
