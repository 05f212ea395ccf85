package dev.recsys.models.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits MovieLens titles such as {@code "Toy Story (1995)"} into a title and a release year. */
public final class Titles {

  // A trailing "(1995)", or a series range "(1975-1979)" / "(2007-)", possibly followed by spaces.
  private static final Pattern TRAILING_YEAR =
      Pattern.compile("^(.*?)\\s*\\((\\d{4})(?:\\s*[-\u2013]\\s*(?:\\d{4})?)?\\)\\s*$");

  private Titles() {}

  /** A title without its year, and the year (0 when none was found). */
  public record Parsed(String title, int year) {}

  public static Parsed parse(String raw) {
    String trimmed = raw == null ? "" : raw.strip();
    Matcher m = TRAILING_YEAR.matcher(trimmed);
    if (m.matches() && !m.group(1).isBlank()) {
      int year = Integer.parseInt(m.group(2));
      if (year >= 1870 && year <= 2100) {
        return new Parsed(m.group(1).strip(), year);
      }
    }
    return new Parsed(trimmed, 0);
  }
}
