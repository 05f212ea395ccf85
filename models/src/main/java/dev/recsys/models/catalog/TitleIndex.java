package dev.recsys.models.catalog;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds movies by title the way people type them: case, accents and punctuation do not matter; a
 * year may be given or not ("The Matrix (1999)", "matrix 1999", "matrix"); articles may stand in
 * front or, as MovieLens writes them, at the end ("Matrix, The"); alternative titles in parentheses
 * count too ("Seven (a.k.a. Se7en)"); and near misses within a small edit distance still match.
 * Among equally good matches the most rated movie comes first. Immutable and thread-safe.
 */
public final class TitleIndex {

  /** How a result matched. */
  public enum Kind {
    EXACT,
    APPROXIMATE
  }

  /**
   * One result.
   *
   * @param movie catalogue index
   * @param kind exact (after normalisation) or approximate
   * @param distance edit distance of the matching key (0 for exact and containment matches)
   */
  public record Match(int movie, Kind kind, int distance) {}

  private static final Set<String> ARTICLES =
      Set.of("the", "a", "an", "le", "la", "les", "l", "il", "lo", "gli", "i", "el", "los", "las", "der", "die", "das", "den", "de", "het", "en", "et");
  private static final Pattern TRAILING_ARTICLE = Pattern.compile("^(.*),\\s*(\\p{L}+'?)$");
  private static final Pattern PARENTHESES = Pattern.compile("\\(([^()]*)\\)");
  private static final Pattern QUERY_YEAR = Pattern.compile("^(.*?)[\\s(]*((?:18|19|20)\\d\\d)\\)?\\s*$");
  // Compiled once: every title of the catalogue goes through them at each version load.
  private static final Pattern AKA = Pattern.compile("(?i)^(a\\.k\\.a\\.|aka)\\s*");
  private static final Pattern MARKS = Pattern.compile("\\p{M}");
  private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");

  /**
   * Version of the key rules ({@link #keysOf}, {@link #normalize}). Published {@link Keys} carry it;
   * keys made under other rules would not match queries normalised under these, so a loader rebuilds
   * them instead. Bump it with any change to those rules.
   */
  public static final int KEY_FORMAT = 1;

  /**
   * Every normalised key of every catalogue title: {@code keys[i]} belongs to movie {@code movies[i]},
   * movies ascending, each (key, movie) pair once. What a load would otherwise derive from every
   * title, so the trainer publishes it with a version.
   */
  public record Keys(PackedStrings keys, int[] movies) {

    public Keys {
      if (keys.size() != movies.length) {
        throw new IllegalArgumentException(keys.size() + " title keys but " + movies.length + " movies");
      }
    }

    /** The keys of every title of {@code catalog}. */
    public static Keys of(Catalog catalog) {
      List<String> allKeys = new ArrayList<>();
      List<Integer> allMovies = new ArrayList<>();
      for (int m = 0; m < catalog.size(); m++) {
        for (String key : distinctKeysOf(catalog.title(m))) {
          allKeys.add(key);
          allMovies.add(m);
        }
      }
      return new Keys(PackedStrings.of(allKeys), allMovies.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Why these keys cannot be those of {@code catalog}, or null when they can: movies must ascend
     * within the catalogue and keys be non-empty, and the keys of each movie in {@code sample} must
     * be exactly what its title gives under the current rules.
     */
    public String mismatch(Catalog catalog, int[] sample) {
      int previous = 0;
      for (int i = 0; i < movies.length; i++) {
        if (movies[i] < previous || movies[i] >= catalog.size()) {
          return "title key " + i + " names movie " + movies[i] + " out of order or outside the " + catalog.size() + " movies";
        }
        if (keys.isEmpty(i)) {
          return "title key " + i + " is empty";
        }
        previous = movies[i];
      }
      for (int m : sample) {
        int from = firstOf(m);
        int to = firstOf(m + 1);
        List<String> expected = distinctKeysOf(catalog.title(m));
        List<String> found = new ArrayList<>();
        for (int i = from; i < to; i++) {
          found.add(keys.get(i));
        }
        if (!expected.equals(found)) {
          return "movie " + m + "'s title keys " + found + " differ from its title's " + expected;
        }
      }
      return null;
    }

    /** Position of the first key of a movie at least {@code m} (movies ascend). */
    private int firstOf(int m) {
      int lo = 0;
      int hi = movies.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (movies[mid] < m) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }

  private final Catalog catalog;
  private final int[] popularity;
  private final PackedStrings keys;
  private final int[] keyMovie;
  /**
   * Exact lookup, an open-addressing table over the keys' hashes ({@link PackedStrings#hash}): a
   * slot holds 1 + the position of the last key equal to its key (0: empty), and {@link
   * #sameKeyBefore} links each position to the previous one with an equal key (-1: none). Two int
   * arrays where a {@code HashMap<String, List<Integer>>} held a node, a list and boxed movies per
   * key: 1.3 GB at 10M movies (docs/benchmarks.md section 3).
   */
  private final int[] slots;
  private final int[] sameKeyBefore;
  /**
   * The characters of each key as a set of 64 buckets ({@link #characters}): an approximate search
   * reads a key's text only when its set allows a match (8 bytes a key, where the scan decoded and
   * compared every key).
   */
  private final long[] keyCharacters;

  /**
   * @param popularity ratings per movie, to order equally good matches
   */
  public TitleIndex(Catalog catalog, int[] popularity) {
    this(catalog, popularity, Keys.of(catalog));
  }

  /**
   * An index over keys already derived from {@code catalog}'s titles ({@link Keys#of}, or published
   * and checked with {@link Keys#mismatch}). Takes the keys as they are (not copied: at 10M movies
   * they are over 100 MB, and the model bundle that publishes them holds the same arrays).
   */
  public TitleIndex(Catalog catalog, int[] popularity, Keys titleKeys) {
    this.catalog = catalog;
    this.popularity = popularity.clone();
    this.keys = titleKeys.keys();
    this.keyMovie = titleKeys.movies();
    // At most half full, so a probe sequence stays short.
    this.slots = new int[Math.multiplyExact(Integer.highestOneBit(Math.max(1, keys.size())), 4)];
    this.sameKeyBefore = new int[keys.size()];
    this.keyCharacters = new long[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      int position = i;
      int slot = slotOf(keys.hash(i), p -> keys.equal(p, position));
      sameKeyBefore[i] = slots[slot] - 1;
      slots[slot] = i + 1;
      keyCharacters[i] = characters(keys.utf8(), keys.start(i), keys.end(i));
    }
  }

  /**
   * The set of character buckets in {@code utf8[from, to)}: one bit per letter a-z, per digit and
   * for the space, other ASCII characters folded onto 26 more bits, and every byte of a non-ASCII
   * character onto the last bit. One edit (insertion, deletion, substitution, swap of neighbours)
   * changes at most two bits, so two strings whose sets differ in more than {@code 2 d} bits are
   * more than {@code d} edits apart; and a string can contain another only if its set holds the
   * other's.
   */
  static long characters(byte[] utf8, int from, int to) {
    long set = 0;
    for (int i = from; i < to; i++) {
      int b = utf8[i] & 0xFF;
      int bucket = b >= 'a' && b <= 'z' ? b - 'a'
          : b >= '0' && b <= '9' ? 26 + b - '0'
          : b == ' ' ? 36
          : b < 0x80 ? 37 + b % 26
          : 63;
      set |= 1L << bucket;
    }
    return set;
  }

  /**
   * The slot holding the positions of the key with {@code hash} that {@code isKey} accepts (given a
   * position), or the empty slot where it would go.
   */
  private int slotOf(int hash, java.util.function.IntPredicate isKey) {
    int mask = slots.length - 1;
    // Spread the high bits into the low ones the mask keeps.
    int slot = (hash ^ (hash >>> 16)) & mask;
    while (slots[slot] != 0 && !isKey.test(slots[slot] - 1)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** The movies with a key whose UTF-8 bytes are {@code utf8}, in no particular order. */
  private List<Integer> moviesWithKey(byte[] utf8) {
    List<Integer> movies = new ArrayList<>();
    for (int i = slots[slotOf(PackedStrings.hash(utf8), p -> keys.equalsUtf8(p, utf8))] - 1; i >= 0; i = sameKeyBefore[i]) {
      movies.add(keyMovie[i]);
    }
    return movies;
  }

  /** {@link #keysOf}, each key once (a title may repeat itself in its alternatives). */
  private static List<String> distinctKeysOf(String title) {
    return List.copyOf(new java.util.LinkedHashSet<>(keysOf(title)));
  }

  /** The normalised keys of a catalogue title: the main title and each alternative in parentheses. */
  static List<String> keysOf(String title) {
    List<String> keys = new ArrayList<>();
    Matcher m = PARENTHESES.matcher(title);
    while (m.find()) {
      String alt = AKA.matcher(m.group(1)).replaceFirst("");
      String key = normalize(alt);
      if (!key.isEmpty()) {
        keys.add(key);
      }
    }
    String main = normalize(PARENTHESES.matcher(title).replaceAll(" "));
    if (!main.isEmpty()) {
      keys.addFirst(main);
    }
    return keys;
  }

  /** Lower case, no accents, no punctuation, no leading or trailing article. */
  static String normalize(String text) {
    // Plain ASCII has no accents to take off: most titles skip the Unicode decomposition.
    String s = (isAscii(text) ? text : MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")).strip();
    Matcher trailing = TRAILING_ARTICLE.matcher(s);
    if (trailing.matches() && ARTICLES.contains(trailing.group(2).toLowerCase(Locale.ROOT).replace("'", ""))) {
      s = trailing.group(1);
    }
    s = NOT_LETTER_OR_DIGIT.matcher(s.toLowerCase(Locale.ROOT).replace("&", " and ")).replaceAll(" ").strip();
    int space = s.indexOf(' ');
    if (space > 0 && ARTICLES.contains(s.substring(0, space))) {
      s = s.substring(space + 1);
    }
    return s;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * The movies matching {@code query}, best first: exact matches (preferring the query's year if it
   * has one), else approximate ones. Empty when nothing is close.
   */
  public List<Match> search(String query, int limit) {
    try {
      return search(query, limit, Long.MAX_VALUE);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no deadline, yet the search timed out", e);
    }
  }

  /** Keys scanned between two looks at the deadline (the first look comes before any key): a few hundred microseconds of work. */
  static final int KEYS_PER_DEADLINE_CHECK = 4096;

  /**
   * {@link #search(String, int)}, giving up once {@link System#nanoTime()} passes {@code deadlineNanos}
   * ({@link Long#MAX_VALUE}: never): an approximate search reads every key that may match, which at a
   * million similar titles takes about a second, and a caller that stopped waiting should not keep a
   * server thread that long.
   *
   * @throws TimeoutException naming the query and the titles searched
   */
  public List<Match> search(String query, int limit, long deadlineNanos) throws TimeoutException {
    String text = query.strip();
    int year = 0;
    Matcher y = QUERY_YEAR.matcher(text);
    // A trailing number may belong to the title (Blade Runner 2049, Death Race 2000): it is read as
    // a year only when the whole text is no title of the catalogue.
    if (y.matches() && !y.group(1).isBlank() && moviesWithKey(normalize(text).getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEmpty()) {
      year = Integer.parseInt(y.group(2));
      text = y.group(1);
    }
    String key = normalize(text);
    if (key.isEmpty()) {
      return List.of();
    }
    int wantedYear = year;
    Comparator<Integer> order =
        Comparator.<Integer>comparingInt(m -> wantedYear != 0 && catalog.year(m) == wantedYear ? 0 : 1)
            .thenComparingInt(m -> -popularity[m])
            .thenComparingInt(m -> m);
    byte[] keyUtf8 = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Integer> exact = moviesWithKey(keyUtf8);
    if (!exact.isEmpty()) {
      return exact.stream().sorted(order).limit(limit).map(m -> new Match(m, Kind.EXACT, 0)).toList();
    }
    int tolerance = key.length() <= 4 ? 1 : key.length() <= 8 ? 2 : Math.min(4, key.length() / 4);
    long wanted = characters(keyUtf8, 0, keyUtf8.length);
    // The query as a whole word at the start, inside and at the end of a key: made once, not per key.
    String asFirstWord = key + " ";
    String asInnerWord = " " + key + " ";
    String asLastWord = " " + key;
    Map<Integer, Integer> best = new HashMap<>();
    int[][] rows = new int[3][];
    for (int i = 0; i < keys.size(); i++) {
      if (i % KEYS_PER_DEADLINE_CHECK == 0 && deadlineNanos != Long.MAX_VALUE
          && System.nanoTime() - deadlineNanos > 0) {
        throw new TimeoutException("the deadline passed while searching " + keys.size() + " title keys for '" + query + "'");
      }
      // Most keys fail both tests on their character sets alone, without being read.
      boolean mayContain = (wanted & ~keyCharacters[i]) == 0;
      boolean mayBeClose = Long.bitCount(wanted ^ keyCharacters[i]) <= 2 * tolerance;
      if (!mayContain && !mayBeClose) {
        continue;
      }
      String candidate = keys.get(i);
      int distance;
      if (mayContain
          && (candidate.startsWith(asFirstWord) || candidate.contains(asInnerWord) || candidate.endsWith(asLastWord))) {
        // The query is a whole-word part of the title ("godfather" in "godfather part ii").
        distance = 1 + Math.max(0, (candidate.length() - key.length()) / 8);
      } else if (mayBeClose) {
        distance = boundedDistance(key, candidate, tolerance, rows);
      } else {
        continue;
      }
      if (distance <= tolerance + 1 && distance >= 0) {
        best.merge(keyMovie[i], distance, Math::min);
      }
    }
    return best.entrySet().stream()
        .sorted(Comparator.<Map.Entry<Integer, Integer>>comparingInt(Map.Entry::getValue).thenComparing(Map.Entry::getKey, order))
        .limit(limit)
        .map(e -> new Match(e.getKey(), Kind.APPROXIMATE, e.getValue()))
        .toList();
  }

  /** Damerau-Levenshtein (optimal string alignment) distance, or -1 once it must exceed {@code bound}. */
  static int boundedDistance(String a, String b, int bound) {
    return boundedDistance(a, b, bound, new int[3][]);
  }

  /**
   * {@link #boundedDistance(String, String, int)} with three reused rows in {@code rows} (grown as
   * needed). Only the band of cells within {@code bound} of the diagonal is computed: a cell
   * further off needs more than {@code bound} insertions or deletions, so the answer is the same
   * as the full table's (every 1M-key title scan computed the whole table, about twice the band at
   * the lengths of titles).
   */
  static int boundedDistance(String a, String b, int bound, int[][] rows) {
    int n = a.length();
    int m = b.length();
    if (Math.abs(n - m) > bound) {
      return -1;
    }
    if (rows[0] == null || rows[0].length < m + 1) {
      for (int r = 0; r < 3; r++) {
        rows[r] = new int[m + 1];
      }
    }
    int beyond = bound + 1;
    int[] prev2 = rows[0];
    int[] prev = rows[1];
    int[] cur = rows[2];
    for (int j = 0; j <= m; j++) {
      prev[j] = Math.min(j, beyond);
      prev2[j] = beyond;
    }
    for (int i = 1; i <= n; i++) {
      int lo = Math.max(1, i - bound);
      int hi = Math.min(m, i + bound);
      cur[0] = Math.min(i, beyond);
      // Just outside the band: read by this row's first cell and the next row's last.
      cur[lo - 1] = lo == 1 ? cur[0] : beyond;
      int rowMin = lo == 1 ? cur[0] : beyond;
      for (int j = lo; j <= hi; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        v = Math.min(v, beyond);
        cur[j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (hi < m) {
        cur[hi + 1] = beyond;
      }
      if (rowMin > bound) {
        return -1;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[m] <= bound ? prev[m] : -1;
  }
}
