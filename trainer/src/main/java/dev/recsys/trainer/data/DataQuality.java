package dev.recsys.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything cleaning dropped or fixed, counted per kind with the first few examples, so that
 * nothing is lost silently. Thread-confined to the loader, read-only afterwards.
 */
public final class DataQuality {

  /** Examples kept per issue. */
  static final int EXAMPLES = 5;

  /** A kind of problem, what cleaning did about it, and why. */
  public enum Issue {
    MALFORMED_RATING_LINE("dropped", "wrong field count or unparsable number"),
    INVALID_ID("dropped", "user or movie id not a positive integer"),
    RATING_OUT_OF_RANGE("dropped", "rating outside 0.5 to 5 stars (or not a number)"),
    UNKNOWN_MOVIE("dropped", "rating of a movie missing from the movie file"),
    DUPLICATE_RATING("dropped", "same user and movie rated again: the latest rating is kept"),
    MALFORMED_MOVIE_LINE("dropped", "movie line with wrong field count or bad id"),
    DUPLICATE_MOVIE("dropped", "movie id listed twice: the first entry is kept"),
    MOVIE_WITHOUT_GENRES("kept", "no genres listed: kept with an empty genre set"),
    MOVIE_WITHOUT_YEAR("kept", "no release year in the title: year recorded as unknown"),
    TITLE_ENCODING_FIXED("fixed", "title was not UTF-8: decoded as ISO-8859-1"),
    MALFORMED_USER_LINE("dropped", "user demographics line with wrong field count"),
    HEADER_LINE("skipped", "column header line");

    private final String action;
    private final String why;

    Issue(String action, String why) {
      this.action = action;
      this.why = why;
    }

    public String action() {
      return action;
    }

    public String why() {
      return why;
    }
  }

  /** Count and first examples of one issue. */
  public record Entry(Issue issue, long count, List<String> examples) {}

  private final Map<Issue, long[]> counts = new EnumMap<>(Issue.class);
  private final Map<Issue, List<String>> examples = new EnumMap<>(Issue.class);

  /** Records one occurrence; {@code example} (e.g. "ratings.csv:17: 1,x,4") is kept for the first few. */
  public void record(Issue issue, String example) {
    record(issue, () -> example);
  }

  /**
   * Records one occurrence; the example is only built for the first few, so hot loops over millions
   * of bad rows do not pay for text they would throw away.
   */
  public void record(Issue issue, Supplier<String> example) {
    counts.computeIfAbsent(issue, k -> new long[1])[0]++;
    List<String> list = examples.computeIfAbsent(issue, k -> new ArrayList<>());
    if (list.size() < EXAMPLES) {
      String text = example.get();
      if (text != null) {
        list.add(text.length() > 120 ? text.substring(0, 120) + "..." : text);
      }
    }
  }

  /** Records {@code n} occurrences without examples. */
  public void recordMany(Issue issue, long n) {
    if (n > 0) {
      counts.computeIfAbsent(issue, k -> new long[1])[0] += n;
    }
  }

  public long count(Issue issue) {
    long[] c = counts.get(issue);
    return c == null ? 0 : c[0];
  }

  /** Issues that occurred, in declaration order. */
  public List<Entry> entries() {
    List<Entry> list = new ArrayList<>();
    for (Issue issue : Issue.values()) {
      if (count(issue) > 0) {
        list.add(new Entry(issue, count(issue), Collections.unmodifiableList(examples.getOrDefault(issue, List.of()))));
      }
    }
    return list;
  }

  /** What was dropped or fixed, a row per kind with its first example, for a person to read. */
  public String table() {
    dev.recsys.models.console.TextTable table = new dev.recsys.models.console.TextTable("issue", "count", "action", "why", "first example");
    for (Entry e : entries()) {
      table.row(e.issue().name().toLowerCase(java.util.Locale.ROOT), String.format(java.util.Locale.ROOT, "%,d", e.count()),
          e.issue().action(), e.issue().why(), e.examples().isEmpty() ? "" : e.examples().getFirst());
    }
    return table.size() == 0 ? "data quality: nothing dropped or fixed\n" : table.render();
  }

  /** Ratings dropped for any reason. */
  public long droppedRatings() {
    return count(Issue.MALFORMED_RATING_LINE) + count(Issue.INVALID_ID) + count(Issue.RATING_OUT_OF_RANGE)
        + count(Issue.UNKNOWN_MOVIE) + count(Issue.DUPLICATE_RATING);
  }
}
