package dev.recsys.trainer.data;

import dev.recsys.trainer.data.DataQuality.Issue;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The rules for one rating line ({@code user, movie, rating, timestamp}) and one rating record:
 * what is kept and which {@link Issue} the rest is counted under. One place for them, so that the
 * one-machine loader and the Spark job clean the same way and report the same counts.
 */
public final class RatingLines {

  /** Lowest and highest star rating kept. */
  public static final double MIN_RATING = 0.5;
  public static final double MAX_RATING = 5.0;

  /** A rating that passed every rule (mutable, reused across lines to avoid garbage). */
  public static final class Parsed {
    public long user;
    public long movie;
    public float rating;
    public int time;
  }

  private final byte[] separator;
  private final int[] starts = new int[4];
  private final int[] ends = new int[4];

  /** A parser for lines whose fields are separated by {@code separator} (see {@link Layout}). */
  public RatingLines(byte[] separator) {
    this.separator = separator.clone();
  }

  /**
   * Parses the non-empty line {@code buf[start, end)} into {@code out}.
   *
   * @param firstLine whether it is the file's first line (only there is a header recognised)
   * @return null when the line is a kept rating, otherwise the issue it is counted under
   */
  public Issue parse(byte[] buf, int start, int end, boolean firstLine, Parsed out) {
    int count = Fields.split(buf, start, end, separator, starts, ends);
    if (count != 4) {
      return firstLine && isHeader(buf, start, end) ? Issue.HEADER_LINE : Issue.MALFORMED_RATING_LINE;
    }
    long user = Fields.parseLong(buf, starts[0], ends[0]);
    long movie = Fields.parseLong(buf, starts[1], ends[1]);
    double rating = Fields.parseDouble(buf, starts[2], ends[2]);
    long time = Fields.parseLong(buf, starts[3], ends[3]);
    if (user == Fields.NO_LONG || movie == Fields.NO_LONG || time == Fields.NO_LONG) {
      return firstLine && isHeader(buf, start, end) ? Issue.HEADER_LINE : Issue.MALFORMED_RATING_LINE;
    }
    if (Double.isNaN(rating) && !namesANonNumber(buf, starts[2], ends[2])) {
      return Issue.MALFORMED_RATING_LINE;
    }
    return check(user, movie, rating, time, out);
  }

  /**
   * The rules on parsed values (also for typed records, e.g. a Parquet table's rows).
   *
   * @return null when kept (and written to {@code out}), otherwise the issue
   */
  public static Issue check(long user, long movie, double rating, long time, Parsed out) {
    if (user <= 0 || movie <= 0 || user > Integer.MAX_VALUE || movie > Integer.MAX_VALUE) {
      return Issue.INVALID_ID;
    }
    if (!(rating >= MIN_RATING && rating <= MAX_RATING)) {
      return Issue.RATING_OUT_OF_RANGE;
    }
    if (time < 0 || time > 0xFFFF_FFFFL) {
      return Issue.MALFORMED_RATING_LINE;
    }
    out.user = user;
    out.movie = movie;
    out.rating = (float) rating;
    out.time = (int) time;
    return null;
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
    String s = new String(buf, start, end - start, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
    return s.matches("[+-]?(nan|inf|infinity)");
  }
}
