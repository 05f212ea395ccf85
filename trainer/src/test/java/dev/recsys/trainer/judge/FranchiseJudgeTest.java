package dev.recsys.trainer.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.neighbors.ItemNeighbors;
import java.util.List;
import org.junit.jupiter.api.Test;

class FranchiseJudgeTest {

  private static final List<String> GENRES =
      List.of("Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Drama", "Horror", "Sci-Fi", "Thriller");

  // Indexes into the handmade catalogue below.
  private static final int TOY_STORY = 0;
  private static final int HEAT = 1;
  private static final int STAR_WARS_4 = 2;
  private static final int GODFATHER = 3;
  private static final int STAR_WARS_5 = 4;
  private static final int ALIEN = 5;
  private static final int GODFATHER_2 = 6;
  private static final int ROCKY = 7;
  private static final int ROCKY_2 = 8;
  private static final int ROCKY_3 = 9;
  private static final int DIE_HARD = 10;
  private static final int ALIENS = 11;
  private static final int DIE_HARD_2 = 12;
  private static final int STAR_TREK = 13;
  private static final int TOY_SOLDIERS = 14;
  private static final int TOY_STORY_2 = 15;
  private static final int TOY_STORY_3 = 16;
  private static final int THE_HEAT = 17;

  private static final Object[][] MOVIES = {
    {"Toy Story", 1995, "Adventure|Animation|Children|Comedy", 200},
    {"Heat", 1995, "Action|Crime|Thriller", 100},
    {"Star Wars: Episode IV - A New Hope", 1977, "Action|Adventure|Sci-Fi", 300},
    {"Godfather, The", 1972, "Crime|Drama", 250},
    {"Star Wars: Episode V - The Empire Strikes Back", 1980, "Action|Adventure|Sci-Fi", 280},
    {"Alien", 1979, "Horror|Sci-Fi", 150},
    {"Godfather: Part II, The", 1974, "Crime|Drama", 120},
    {"Rocky", 1976, "Drama", 80},
    {"Rocky II", 1979, "Drama", 20},
    {"Rocky III", 1982, "Drama", 10},
    {"Die Hard", 1988, "Action|Crime|Thriller", 180},
    {"Aliens", 1986, "Action|Adventure|Horror|Sci-Fi", 140},
    {"Die Hard 2", 1990, "Action|Adventure|Thriller", 60},
    {"Star Trek: Generations", 1994, "Action|Adventure|Drama|Sci-Fi", 40},
    {"Toy Soldiers", 1991, "Action|Drama", 5},
    {"Toy Story 2", 1999, "Adventure|Animation|Children|Comedy", 90},
    {"Toy Story 3", 2010, "Adventure|Animation|Children|Comedy", 30},
    {"Heat, The", 2013, "Action|Comedy|Crime", 0},
  };

  // Every franchise movie's siblings first, then an unrelated film; The Heat has no neighbours.
  private static final int[][] SEQUELS_FIRST = {
    {TOY_STORY_2, TOY_STORY_3}, {DIE_HARD, THE_HEAT}, {STAR_WARS_5, STAR_TREK}, {GODFATHER_2, HEAT},
    {STAR_WARS_4, ALIENS}, {ALIENS, STAR_TREK}, {GODFATHER, ROCKY}, {ROCKY_2, ROCKY_3},
    {ROCKY, ROCKY_3}, {ROCKY_2, ROCKY}, {DIE_HARD_2, HEAT}, {ALIEN, STAR_WARS_4},
    {DIE_HARD, HEAT}, {STAR_WARS_4, STAR_WARS_5}, {DIE_HARD, DIE_HARD_2}, {TOY_STORY, TOY_STORY_3},
    {TOY_STORY_2, TOY_STORY}, {},
  };

  // The two most popular films that are not siblings, for every movie.
  private static final int[][] POPULAR_FIRST = {
    {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER}, {GODFATHER, DIE_HARD}, {STAR_WARS_4, DIE_HARD},
    {GODFATHER, DIE_HARD}, {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, DIE_HARD}, {STAR_WARS_4, GODFATHER},
    {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER},
    {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER}, {STAR_WARS_4, GODFATHER},
    {STAR_WARS_4, GODFATHER}, {},
  };

  @Test
  void of_handmadeCatalogue_findsExactlyTheFiveFranchises() {
    FranchiseGroups groups = FranchiseGroups.of(catalog(MOVIES));

    assertEquals(5, groups.size());
    assertGroup(groups, 0, "toy story", TOY_STORY, TOY_STORY_2, TOY_STORY_3);
    assertGroup(groups, 1, "star wars", STAR_WARS_4, STAR_WARS_5);
    assertGroup(groups, 2, "godfather", GODFATHER, GODFATHER_2);
    assertGroup(groups, 3, "rocky", ROCKY, ROCKY_2, ROCKY_3);
    assertGroup(groups, 4, "die hard", DIE_HARD, DIE_HARD_2);
    // Shared first words (Star Trek, Toy Soldiers), plurals (Aliens) and namesakes without a
    // sequel (Heat 1995 and Heat, The 2013: same stem, but no member lost a marker) stay alone.
    for (int m : new int[] {HEAT, ALIEN, ALIENS, STAR_TREK, TOY_SOLDIERS, THE_HEAT}) {
      assertEquals(-1, groups.groupOf(m), (String) MOVIES[m][0]);
    }
  }

  @Test
  void stem_articlesAlternativeTitlesAndSequelMarkers_reduceToTheSeriesName() {
    assertEquals("heat", FranchiseGroups.normalize("The Heat"));
    assertEquals("heat", FranchiseGroups.normalize("Heat, The"));
    assertEquals("seven samurai", FranchiseGroups.normalize("Seven Samurai (Shichinin no samurai)"));
    assertEquals("amelie", FranchiseGroups.normalize("Amélie (Fabuleux destin d'Amélie Poulain, Le)"));
    assertEquals("lord of the rings", FranchiseGroups.stem("Lord of the Rings: The Two Towers, The"));
    assertEquals("godfather", FranchiseGroups.stem("Godfather: Part II, The"));
    assertEquals("back to the future", FranchiseGroups.stem("Back to the Future Part II"));
    assertEquals("terminator", FranchiseGroups.stem("Terminator 2: Judgment Day"));
    assertEquals("kill bill", FranchiseGroups.stem("Kill Bill: Vol. 2"));
    assertEquals("it", FranchiseGroups.stem("It Chapter Two"));
    assertEquals("auberge espagnole", FranchiseGroups.stem("Auberge espagnole, L'"));
    assertEquals("die hard", FranchiseGroups.stem("Die Hard 2"));
    // A bare spelled-out number is part of the title, not a marker.
    assertEquals("oceans eleven", FranchiseGroups.stem("Ocean's Eleven"));
  }

  @Test
  void of_shortOrStopWordStems_formNoGroup() {
    Catalog c =
        catalog(new Object[][] {{"It", 2017, "Horror", 1}, {"It Chapter Two", 2019, "Horror", 1}, {"Them", 1954, "Horror", 1}, {"Them 2", 2020, "Horror", 1}});

    assertEquals(0, FranchiseGroups.of(c).size());
  }

  @Test
  void of_groupAtAndAboveSizeCap_keptThenDropped() {
    assertEquals(1, FranchiseGroups.of(numberedSeries(FranchiseGroups.MAX_GROUP_SIZE)).size());
    assertEquals(0, FranchiseGroups.of(numberedSeries(FranchiseGroups.MAX_GROUP_SIZE + 1)).size());
  }

  @Test
  void judge_sequelsFirst_hitRateAndRecallOne() {
    SimilarityJudge.Report r = SimilarityJudge.judge(catalog(MOVIES), table(SEQUELS_FIRST), popularity(MOVIES), 2);

    assertEquals(2, r.k());
    assertEquals(1.0, r.franchiseHitRate(), 1e-12);
    assertEquals(1.0, r.franchiseRecall(), 1e-12);
    assertEquals(12, r.franchiseMovies());
    assertEquals(5, r.franchiseGroups());
    assertEquals(17, r.queries());
  }

  @Test
  void judge_popularUnrelatedFirst_hitRateZeroAndNeighboursMorePopular() {
    Catalog c = catalog(MOVIES);
    int[] pop = popularity(MOVIES);
    SimilarityJudge.Report popular = SimilarityJudge.judge(c, table(POPULAR_FIRST), pop, 2);
    SimilarityJudge.Report sequels = SimilarityJudge.judge(c, table(SEQUELS_FIRST), pop, 2);

    assertEquals(0.0, popular.franchiseHitRate(), 1e-12);
    assertEquals(0.0, popular.franchiseRecall(), 1e-12);
    assertEquals(12, popular.franchiseMovies());
    assertTrue(popular.popularityBiasMean() > 0, "popular neighbours: " + popular);
    assertTrue(popular.popularityBiasMedian() > 0, "popular neighbours: " + popular);
    assertTrue(sequels.popularityBiasMean() < popular.popularityBiasMean(), sequels + " vs " + popular);
  }

  @Test
  void judge_onlySiblingUnrated_movieNotJudged() {
    int[] pop = popularity(MOVIES);
    pop[DIE_HARD_2] = 0; // Die Hard is left with no rated sibling; Die Hard 2 still has one.
    pop[ROCKY_2] = 0;
    pop[ROCKY_3] = 0; // Likewise Rocky; Rocky II and III each keep Rocky.

    SimilarityJudge.Report r = SimilarityJudge.judge(catalog(MOVIES), table(SEQUELS_FIRST), pop, 2);

    assertEquals(10, r.franchiseMovies());
    assertEquals(5, r.franchiseGroups());
    // Rocky II finds both siblings, but only one is rated: recall is capped at 1, not 2.
    assertEquals(1.0, r.franchiseRecall(), 1e-12);
  }

  @Test
  void judge_oneOfTwoSiblingsFound_recallHalfAtTwoAndWholeAtOne() {
    int[][] lists = SEQUELS_FIRST.clone();
    lists[TOY_STORY] = new int[] {TOY_STORY_2, TOY_SOLDIERS};
    Catalog c = catalog(MOVIES);

    SimilarityJudge.Report at2 = SimilarityJudge.judge(c, table(lists), popularity(MOVIES), 2);
    SimilarityJudge.Report at1 = SimilarityJudge.judge(c, table(lists), popularity(MOVIES), 1);

    assertEquals(1.0, at2.franchiseHitRate(), 1e-12);
    assertEquals((11 + 0.5) / 12, at2.franchiseRecall(), 1e-12);
    assertEquals(1.0, at1.franchiseRecall(), 1e-12);
  }

  @Test
  void judge_handmadeGenres_matchHandComputedCoherenceAndBias() {
    // A {Action, Thriller}, B {Action, Sci-Fi}, C {Drama}; A -> B, C; B -> A; C -> A.
    Catalog c = catalog(new Object[][] {{"A", 2000, "Action|Thriller", 9}, {"B", 2000, "Action|Sci-Fi", 99}, {"C", 2000, "Drama", 0}});
    ItemNeighbors t = table(new int[][] {{1, 2}, {0}, {0}});
    int[] pop = {9, 99, 0};

    SimilarityJudge.Report at2 = SimilarityJudge.judge(c, t, pop, 2);
    SimilarityJudge.Report at1 = SimilarityJudge.judge(c, t, pop, 1);

    // Jaccard(A,B) = 1/3, (A,C) = 0, (B,A) = 1/3, (C,A) = 0.
    assertEquals((0.5 * (1 / 3.0 + 0) + 1 / 3.0 + 0) / 3, at2.genreCoherence(), 1e-12);
    // Per query: A log10((1 + 49.5) / 10), B log10(10 / 100) = -1, C log10(10 / 1) = 1.
    double a = Math.log10(50.5 / 10);
    assertEquals((a - 1 + 1) / 3, at2.popularityBiasMean(), 1e-12);
    assertEquals(a, at2.popularityBiasMedian(), 1e-12);
    assertEquals(3, at2.queries());
    assertEquals(0, at2.franchiseMovies());
    assertTrue(Double.isNaN(at2.franchiseHitRate()));
    // At k = 1 A sees only B: coherence (1/3 + 1/3 + 0) / 3, bias A log10(100 / 10) = 1.
    assertEquals(2 / 9.0, at1.genreCoherence(), 1e-12);
    assertEquals(1 / 3.0, at1.popularityBiasMean(), 1e-12);
    assertEquals(1.0, at1.popularityBiasMedian(), 1e-12);
  }

  @Test
  void judge_mismatchedSizesOrZeroK_throws() {
    Catalog c = catalog(MOVIES);
    ItemNeighbors t = table(SEQUELS_FIRST);
    assertThrows(IllegalArgumentException.class, () -> SimilarityJudge.judge(c, t, new int[3], 2));
    assertThrows(IllegalArgumentException.class, () -> SimilarityJudge.judge(c, t, popularity(MOVIES), 0));
  }

  @Test
  void franchiseExamples_maxTwo_describesFirstTwoGroupsWithYears() {
    String[] examples = SimilarityJudge.franchiseExamples(catalog(MOVIES), 2);

    assertArrayEquals(
        new String[] {
          "Toy Story (1995) | Toy Story 2 (1999) | Toy Story 3 (2010)",
          "Star Wars: Episode IV - A New Hope (1977) | Star Wars: Episode V - The Empire Strikes Back (1980)"
        },
        examples);
    assertEquals(5, SimilarityJudge.franchiseExamples(catalog(MOVIES), 100).length);
  }

  private static void assertGroup(FranchiseGroups groups, int g, String stem, int... members) {
    assertEquals(stem, groups.groupStem(g));
    assertArrayEquals(members, groups.members(g));
    for (int m : members) {
      assertEquals(g, groups.groupOf(m));
    }
  }

  /** Rows of {title, year, "Genre|Genre", popularity}; ids are 1, 2, 3, ... */
  private static Catalog catalog(Object[][] rows) {
    int n = rows.length;
    long[] ids = new long[n];
    String[] titles = new String[n];
    int[] years = new int[n];
    long[] masks = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i + 1;
      titles[i] = (String) rows[i][0];
      years[i] = (Integer) rows[i][1];
      for (String genre : ((String) rows[i][2]).split("\\|")) {
        masks[i] |= 1L << GENRES.indexOf(genre);
      }
    }
    return new Catalog(ids, titles, years, masks, GENRES);
  }

  private static int[] popularity(Object[][] rows) {
    int[] pop = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      pop[i] = (Integer) rows[i][3];
    }
    return pop;
  }

  /** A CSR table from per-movie neighbour lists, similarities descending. */
  private static ItemNeighbors table(int[][] lists) {
    int[] offsets = new int[lists.length + 1];
    for (int i = 0; i < lists.length; i++) {
      offsets[i + 1] = offsets[i] + lists[i].length;
    }
    int[] neighbors = new int[offsets[lists.length]];
    float[] similarities = new float[neighbors.length];
    for (int i = 0; i < lists.length; i++) {
      for (int j = 0; j < lists[i].length; j++) {
        neighbors[offsets[i] + j] = lists[i][j];
        similarities[offsets[i] + j] = 1f / (j + 1);
      }
    }
    return new ItemNeighbors(offsets, neighbors, similarities);
  }

  private static Catalog numberedSeries(int n) {
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = new Object[] {"Lovers: Story " + (i + 1), 2000 + i, "Drama", 1};
    }
    return catalog(rows);
  }
}
