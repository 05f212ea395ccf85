package dev.recsys.models.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TitleIndexTest {

  // Ids, titles and years as MovieLens writes them.
  static final Catalog CATALOG =
      new Catalog(
          new long[] {1, 2, 3, 4, 5, 6, 7, 8},
          new String[] {"Matrix, The", "Matrix Reloaded, The", "Hamlet", "Hamlet", "Seven (a.k.a. Se7en)",
              "Amelie (Fabuleux destin d'Amélie Poulain, Le)", "Godfather: Part II, The", "Pulp Fiction"},
          new int[] {1999, 2003, 1990, 1996, 1995, 2001, 1974, 1994},
          new long[8],
          List.of());
  // Hamlet (1996) is rated more than Hamlet (1990).
  static final TitleIndex INDEX = new TitleIndex(CATALOG, new int[] {300, 120, 10, 40, 200, 150, 180, 320});

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "The Matrix|1|EXACT",
      "matrix|1|EXACT",
      "MATRIX, THE|1|EXACT",
      "The Matrix (1999)|1|EXACT",
      "the matrix 1999|1|EXACT",
      "Matrx|1|APPROXIMATE",
      "The Matirx|1|APPROXIMATE",
      "se7en|5|EXACT",
      "Seven|5|EXACT",
      "amélie|6|EXACT",
      "Amelie|6|EXACT",
      "Le fabuleux destin d'Amelie Poulain|6|EXACT",
      "godfather part ii|7|EXACT",
      "Pulp fiction!|8|EXACT",
      "hamlet|4|EXACT",
      "hamlet (1990)|3|EXACT",
      "reloaded|2|APPROXIMATE"})
  void search_findsWhatPeopleType(String query, long expectedId, TitleIndex.Kind kind) {
    List<TitleIndex.Match> matches = INDEX.search(query, 5);
    assertTrue(!matches.isEmpty(), "no match for " + query);
    assertEquals(expectedId, CATALOG.movieId(matches.getFirst().movie()), query);
    assertEquals(kind, matches.getFirst().kind(), query);
  }

  @Test
  void approximateSearch_givesUpAtItsDeadline_namingTheQuery_whileExactLookupsAndNoDeadlineAnswer() throws Exception {
    int n = 3 * TitleIndex.KEYS_PER_DEADLINE_CHECK;
    long[] ids = new long[n];
    String[] titles = new String[n];
    for (int m = 0; m < n; m++) {
      ids[m] = m + 1;
      titles[m] = "Synthetic Movie " + m;
    }
    TitleIndex big = new TitleIndex(new Catalog(ids, titles, new int[n], new long[n], List.of()), new int[n]);
    long passed = System.nanoTime() - 1;
    java.util.concurrent.TimeoutException e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
        () -> big.search("Synthetic Mvoie 1234", 5, passed));
    assertEquals("the deadline passed while searching " + n + " title keys for 'Synthetic Mvoie 1234'", e.getMessage());
    assertEquals(1235, ids[big.search("Synthetic Movie 1234", 5, passed).getFirst().movie()], "an exact lookup reads no keys: answered");
    List<TitleIndex.Match> unbounded = big.search("Synthetic Mvoie 1234", 5, Long.MAX_VALUE);
    assertEquals(big.search("Synthetic Mvoie 1234", 5), unbounded);
    assertEquals(1235, ids[unbounded.getFirst().movie()]);
  }

  @Test
  void search_ambiguousTitle_listsTheOthersAsCandidates() {
    List<TitleIndex.Match> matches = INDEX.search("Hamlet", 5);
    assertEquals(List.of(4L, 3L), matches.stream().map(m -> CATALOG.movieId(m.movie())).toList());
  }

  @Test
  void boundedDistance_computingTheBandOnly_equalsTheFullTable() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    int[][] rows = new int[3][];
    for (int t = 0; t < 20_000; t++) {
      String a = randomWord(random);
      // Half the pairs a few edits apart (swaps included), half unrelated.
      String b = random.nextBoolean() ? randomWord(random) : edited(a, random);
      int bound = random.nextInt(6);
      int full = fullTable(a, b);
      int expected = full <= bound ? full : -1;
      assertEquals(expected, TitleIndex.boundedDistance(a, b, bound, rows), a + " / " + b + " within " + bound);
    }
    assertEquals(1, TitleIndex.boundedDistance("matrix", "matirx", 2), "a swap is one edit");
  }

  @Test
  void characterSets_boundTheEditDistance_andHoldWhatTheyContain() {
    // What the approximate search skips keys on: d edits change at most 2d bits of the set, and a
    // string's set holds the set of any string it contains. Non-ASCII letters and punctuation too.
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    String alphabet = "abz09 é日ñ-'";
    for (int t = 0; t < 20_000; t++) {
      StringBuilder w = new StringBuilder();
      for (int i = random.nextInt(10); i > 0; i--) {
        w.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String a = w.toString();
      String b = random.nextBoolean() ? edited(a, random).replace('x', alphabet.charAt(random.nextInt(alphabet.length()))) : a + " " + a;
      long setA = characters(a);
      long setB = characters(b);
      assertTrue(Long.bitCount(setA ^ setB) <= 2 * fullTable(a, b), a + " / " + b);
      if (b.contains(a)) {
        assertEquals(0, setA & ~setB, a + " in " + b);
      }
    }
  }

  private static long characters(String s) {
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return TitleIndex.characters(utf8, 0, utf8.length);
  }

  private static String randomWord(java.util.SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      s.append("abc d".charAt(random.nextInt(5)));
    }
    return s.toString();
  }

  private static String edited(String word, java.util.SplittableRandom random) {
    StringBuilder s = new StringBuilder(word);
    for (int e = random.nextInt(5); e > 0; e--) {
      int at = s.isEmpty() ? 0 : random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s.insert(at, 'x');
        case 1 -> { if (!s.isEmpty()) s.deleteCharAt(at); }
        case 2 -> { if (!s.isEmpty()) s.setCharAt(at, 'y'); }
        default -> { if (at + 1 < s.length()) { char c = s.charAt(at); s.setCharAt(at, s.charAt(at + 1)); s.setCharAt(at + 1, c); } }
      }
    }
    return s.toString();
  }

  /** Optimal string alignment distance by the whole table: the reference. */
  private static int fullTable(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Test
  void packedStrings_readBackWhatWasPacked_andRefuseBytesThatAreNotThem() {
    PackedStrings packed = PackedStrings.of("", "amélie", "se7en", "");
    assertEquals(List.of("", "amélie", "se7en", ""), packed.toList());
    assertTrue(packed.isEmpty(0) && !packed.isEmpty(1) && packed.isEmpty(3));
    assertTrue(packed.equalsUtf8(1, "amélie".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(PackedStrings.hash("se7en".getBytes(java.nio.charset.StandardCharsets.UTF_8)), packed.hash(2));
    assertEquals(packed.toList(), PackedStrings.ofUtf8(packed.utf8(), packed.ends()).toList());
    // "é" is two bytes: a string ending between them is not UTF-8.
    int[] splitChar = packed.ends().clone();
    splitChar[1] = 3;
    IllegalArgumentException broken = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PackedStrings.ofUtf8(packed.utf8(), splitChar));
    assertTrue(broken.getMessage().contains("string 1 is not UTF-8"), broken.getMessage());
    int[] backwards = {2, 1, 8, 8};
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PackedStrings.ofUtf8(packed.utf8(), backwards)).getMessage().contains("string 1 ends at byte 1"));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PackedStrings.of(java.util.Arrays.asList("a", null))).getMessage().contains("string 1 is missing"));
  }

  @Test
  void exactLookup_keepsKeysWhoseHashesCollideApart_andFindsEveryMovieOfAKey() {
    // "an" and "c0" have the same String hash (31 x 'a' + 'n' = 31 x 'c' + '0'), and so do "xan" and "xc0".
    Catalog colliding = new Catalog(new long[] {1, 2, 3, 4, 5}, new String[] {"c0", "an", "xan", "xc0", "an"}, new int[5], new long[5],
        List.of());
    TitleIndex index = new TitleIndex(colliding, new int[] {1, 5, 1, 1, 3});
    assertEquals("an".hashCode(), "c0".hashCode());
    assertEquals(List.of(2L, 5L), index.search("an", 5).stream().map(m -> colliding.movieId(m.movie())).toList(), "more rated first");
    assertEquals(List.of(1L), index.search("c0", 5).stream().map(m -> colliding.movieId(m.movie())).toList());
    assertEquals(List.of(4L), index.search("xc0", 5).stream().map(m -> colliding.movieId(m.movie())).toList());
    assertEquals(List.of(3L), index.search("xan", 5).stream().map(m -> colliding.movieId(m.movie())).toList());
    assertTrue(index.search("xan", 5).stream().allMatch(m -> m.kind() == TitleIndex.Kind.EXACT));
  }

  @Test
  void search_nothingClose_isEmpty() {
    assertTrue(INDEX.search("Completely Unrelated Words", 5).isEmpty());
    assertTrue(INDEX.search("   ", 5).isEmpty());
    assertTrue(INDEX.search("!!!", 5).isEmpty());
  }

  @Test
  void keys_publishedAndReadBack_searchAsTheTitlesDo() {
    TitleIndex.Keys keys = TitleIndex.Keys.of(CATALOG);
    TitleIndex fromKeys = new TitleIndex(CATALOG, new int[] {300, 120, 10, 40, 200, 150, 180, 320}, keys);
    for (String query : List.of("matrix", "se7en", "hamlet", "Matirx", "godfather")) {
      assertEquals(INDEX.search(query, 5), fromKeys.search(query, 5), query);
    }
    // Seven's title gives two keys: its main title and its alternative in parentheses.
    assertEquals(List.of("seven", "se7en"), keys.keys().toList().subList(4, 6));
    assertEquals(null, keys.mismatch(CATALOG, new int[] {0, 4, 5, 7}));
  }

  @Test
  void keys_thatAreNotTheTitles_areNamedWhenChecked() {
    TitleIndex.Keys keys = TitleIndex.Keys.of(CATALOG);
    List<String> texts = new java.util.ArrayList<>(keys.keys().toList());
    texts.set(0, "the matrix has you");
    PackedStrings changed = PackedStrings.of(texts);
    String wrongKey = new TitleIndex.Keys(changed, keys.movies()).mismatch(CATALOG, new int[] {0});
    assertTrue(wrongKey != null && wrongKey.startsWith("movie 0's title keys"), wrongKey);
    assertEquals(null, new TitleIndex.Keys(changed, keys.movies()).mismatch(CATALOG, new int[] {3}), "only sampled movies are recomputed");

    int[] outOfRange = keys.movies().clone();
    outOfRange[outOfRange.length - 1] = CATALOG.size();
    String range = new TitleIndex.Keys(keys.keys(), outOfRange).mismatch(CATALOG, new int[0]);
    assertTrue(range != null && range.contains("outside the 8 movies"), range);

    int[] unordered = keys.movies().clone();
    unordered[0] = 3;
    assertTrue(new TitleIndex.Keys(keys.keys(), unordered).mismatch(CATALOG, new int[0]).contains("out of order"));
  }

  /** A title that ends in a number a year could be: the whole title wins when the catalogue has it. */
  @Test
  void aTrailingNumberThatIsPartOfATitle_isNotTakenForAYear() {
    Catalog catalog = new Catalog(new long[] {10, 11, 12, 13}, new String[] {"Blade Runner", "Blade Runner 2049", "Death Race", "Death Race 2000"},
        new int[] {1982, 2017, 2008, 1975}, new long[4], List.of());
    TitleIndex index = new TitleIndex(catalog, new int[] {500, 100, 300, 50});
    assertEquals(1, index.search("Blade Runner 2049", 5).getFirst().movie(), "the sequel, not Blade Runner (year 2049)");
    assertEquals(TitleIndex.Kind.EXACT, index.search("Blade Runner 2049", 5).getFirst().kind());
    assertEquals(3, index.search("death race 2000", 5).getFirst().movie());
    assertEquals(0, index.search("Blade Runner 1982", 5).getFirst().movie(), "a year that is no title's: still the year");
    assertEquals(2, index.search("Death Race (2008)", 5).getFirst().movie());
  }
}
