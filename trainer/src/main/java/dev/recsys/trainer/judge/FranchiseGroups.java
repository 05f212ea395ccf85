package dev.recsys.trainer.judge;

import dev.recsys.models.catalog.Catalog;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Franchises found from a catalogue's own titles: movies that share a <em>franchise stem</em>.
 * Immutable.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li><b>Normalise.</b> Drop every parenthesised part (MovieLens puts alternative titles there:
 *       {@code "(a.k.a. ...)"}, {@code "(Shichinin no samurai)"}); drop a trailing article after a
 *       comma ({@code ", The"}, {@code ", A"}, {@code ", An"}, {@code ", Les"}, {@code ", La"},
 *       {@code ", Le"}, {@code ", L'"}, {@code ", Il"}, {@code ", El"}, {@code ", Die"}, {@code ",
 *       Der"}, {@code ", Das"}, {@code ", Los"}, {@code ", Las"}, {@code ", Un"}, {@code ", Une"})
 *       and a leading English {@code "The "}, {@code "A "} or {@code "An "}, so that {@code "Heat,
 *       The"} and {@code "The Heat"} read alike; strip accents, lower-case, delete apostrophes and
 *       turn every other run of punctuation into one space. Leading foreign articles are kept:
 *       {@code "Die Hard"} is not a German title.
 *   <li><b>Stem.</b> Keep the part before the first {@code ':'} (the subtitle goes), then remove
 *       one trailing sequel marker: a bare number 2..20, a bare roman numeral II..XX, or {@code
 *       Part}/{@code Chapter}/{@code Vol}/{@code Volume}/{@code Episode} followed by 1..20, I..XX
 *       or a spelled-out One..Ten. Spelled-out numbers count only after such a word, since a bare
 *       "Seven" or "Ten" is usually part of the title.
 *   <li><b>Group.</b> Movies with the same stem form a group. A movie with neither subtitle nor
 *       marker has its whole normalised title as stem, so it joins the sequels that reduce to it
 *       ({@code "Toy Story"} with {@code "Toy Story 2"}; {@code "Godfather, The"} with {@code
 *       "Godfather: Part II, The"}). Nothing fuzzier is tried: {@code "Alien"} and {@code
 *       "Aliens"} stay apart, and films that merely share first words ({@code "Toy Soldiers"},
 *       {@code "Toy Story"}) never meet.
 *   <li><b>Keep</b> a group only when it has 2 to {@value #MAX_GROUP_SIZE} members, at least one
 *       of which lost a subtitle or marker, and its stem is informative: at least {@value
 *       #MIN_STEM_CHARS} letters or digits, at least one letter, and not only stop words. Groups of
 *       identical whole titles alone (remakes and namesakes such as {@code "Heat"} 1995 and {@code
 *       "Heat, The"} 2013) are therefore <em>not</em> franchises: a namesake is more often an
 *       unrelated film than a sequel, and a false franchise punishes a good table. Larger groups
 *       are dropped because a stem shared by dozens of films is a generic word, not a series.
 * </ol>
 *
 * <p>Groups are numbered by their first member's catalogue index and list members ascending, so
 * the result depends only on the catalogue.
 */
public final class FranchiseGroups {

  /** Fewest letters and digits in an informative stem. */
  public static final int MIN_STEM_CHARS = 4;

  /** Most members a group may have before it is taken for a generic word. */
  public static final int MAX_GROUP_SIZE = 30;

  private static final Pattern PARENTHESISED = Pattern.compile("\\s*\\([^()]*\\)");
  private static final Pattern TRAILING_ARTICLE =
      Pattern.compile(
          ",\\s*(?:the|a|an|les|la|le|l'|il|el|die|der|das|los|las|un|une)\\s*$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern LEADING_ARTICLE =
      Pattern.compile("^(?:the|a|an)\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern ACCENTS = Pattern.compile("\\p{M}+");
  private static final Pattern APOSTROPHES = Pattern.compile("['\u2019`]");
  private static final Pattern PUNCTUATION = Pattern.compile("[^\\p{L}\\p{N}]+");

  private static final String ROMAN_2_20 =
      "ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv|xvi|xvii|xviii|xix|xx";
  private static final String ARABIC_2_20 = "[2-9]|1[0-9]|20";
  private static final Pattern SEQUEL_MARKER =
      Pattern.compile(
          "^(.+?)\\s+(?:"
              + "(?:part|chapter|vol|volume|episode)\\s+(?:1|i|one|two|three|four|five|six|seven"
              + "|eight|nine|ten|" + ARABIC_2_20 + "|" + ROMAN_2_20 + ")"
              + "|" + ARABIC_2_20 + "|" + ROMAN_2_20 + ")$");

  // Function words: a stem made only of these names no series.
  private static final Set<String> STOP_WORDS =
      Set.of(
          "the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "from", "by",
          "my", "me", "i", "you", "we", "he", "she", "it", "its", "his", "her", "they", "them",
          "us", "our", "your", "this", "that", "is", "are", "be", "not", "no", "de", "la", "le",
          "les", "el", "il", "die", "der", "das", "los", "las", "un", "une");

  private final int[] groupOfMovie;
  private final List<int[]> members;
  private final List<String> stems;

  private FranchiseGroups(int[] groupOfMovie, List<int[]> members, List<String> stems) {
    this.groupOfMovie = groupOfMovie;
    this.members = members;
    this.stems = stems;
  }

  /** Finds the franchises of {@code catalog} by the rules above. */
  public static FranchiseGroups of(Catalog catalog) {
    int n = catalog.size();
    // Insertion order is first-member order, which numbers the groups deterministically.
    Map<String, List<Integer>> byStem = new LinkedHashMap<>();
    Map<String, Boolean> derived = new LinkedHashMap<>();
    for (int m = 0; m < n; m++) {
      String title = catalog.title(m);
      String stem = stem(title);
      byStem.computeIfAbsent(stem, s -> new ArrayList<>()).add(m);
      derived.merge(stem, !stem.equals(normalize(title)), Boolean::logicalOr);
    }
    int[] groupOf = new int[n];
    Arrays.fill(groupOf, -1);
    List<int[]> members = new ArrayList<>();
    List<String> stems = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byStem.entrySet()) {
      List<Integer> ms = e.getValue();
      boolean kept = ms.size() >= 2 && ms.size() <= MAX_GROUP_SIZE && derived.get(e.getKey());
      if (!kept || !informative(e.getKey())) {
        continue;
      }
      int[] group = ms.stream().mapToInt(Integer::intValue).toArray();
      for (int m : group) {
        groupOf[m] = members.size();
      }
      members.add(group);
      stems.add(e.getKey());
    }
    return new FranchiseGroups(groupOf, List.copyOf(members), List.copyOf(stems));
  }

  /**
   * The whole title, normalised: parenthesised parts and articles dropped, accents stripped,
   * lower-cased, punctuation (the subtitle colon included) turned into single spaces.
   */
  public static String normalize(String title) {
    return clean(withoutArticles(title));
  }

  /** The franchise stem of a title: its normalised main title less one trailing sequel marker. */
  public static String stem(String title) {
    String t = withoutArticles(title);
    int colon = t.indexOf(':');
    String main = clean(colon >= 0 ? t.substring(0, colon) : t);
    if (main.isEmpty()) {
      // A title that starts with ':' has no main title; its whole text is the best name.
      return clean(t);
    }
    Matcher sequel = SEQUEL_MARKER.matcher(main);
    return sequel.matches() ? sequel.group(1) : main;
  }

  /** Number of groups. */
  public int size() {
    return members.size();
  }

  /** Catalogue indexes of group {@code g}'s movies, ascending (a copy). */
  public int[] members(int g) {
    return members.get(g).clone();
  }

  /** The stem group {@code g} shares, e.g. {@code "toy story"}. */
  public String groupStem(int g) {
    return stems.get(g);
  }

  /** The group of catalogue movie {@code movie}, or -1 when it belongs to none. */
  public int groupOf(int movie) {
    return groupOfMovie[movie];
  }

  /** Group {@code g} as {@code "Toy Story (1995) | Toy Story 2 (1999)"}. */
  public String describe(Catalog catalog, int g) {
    StringBuilder b = new StringBuilder();
    for (int m : members.get(g)) {
      b.append(b.isEmpty() ? "" : " | ").append(catalog.displayTitle(m));
    }
    return b.toString();
  }

  private static String withoutArticles(String title) {
    // Nested alternatives: each pass strips the innermost, so repeat until nothing changes.
    String t = title;
    String before;
    do {
      before = t;
      t = PARENTHESISED.matcher(t).replaceAll("");
    } while (!t.equals(before));
    t = TRAILING_ARTICLE.matcher(t.strip()).replaceFirst("");
    return LEADING_ARTICLE.matcher(t.strip()).replaceFirst("");
  }

  private static String clean(String text) {
    String t = ACCENTS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
    t = APOSTROPHES.matcher(t.toLowerCase(Locale.ROOT)).replaceAll("");
    return PUNCTUATION.matcher(t).replaceAll(" ").strip();
  }

  private static boolean informative(String stem) {
    int chars = 0;
    boolean letter = false;
    for (int i = 0; i < stem.length(); i++) {
      char c = stem.charAt(i);
      chars += Character.isLetterOrDigit(c) ? 1 : 0;
      letter |= Character.isLetter(c);
    }
    if (chars < MIN_STEM_CHARS || !letter) {
      return false;
    }
    for (String word : stem.split(" ")) {
      if (!STOP_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
