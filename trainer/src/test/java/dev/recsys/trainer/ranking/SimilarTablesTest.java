package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.neighbors.ItemNeighbors;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimilarTablesTest {

  private static final List<String> GENRES = List.of("Animation", "Children", "Action", "Drama");

  /** 0: Animation|Children, 1: Animation|Children, 2: Action, 3: Drama|Action. */
  private static Catalog catalog() {
    long[] masks = {0b0011, 0b0011, 0b0100, 0b1100};
    return new Catalog(new long[] {1, 2, 3, 4}, new String[] {"A", "A 2", "B", "C"}, new int[] {1995, 1999, 1990, 1994}, masks, GENRES);
  }

  @Test
  void genreOverlapLiftsTheSameKindOfFilmAboveWhatEveryoneAlsoRated() {
    // Movie 0's co-rating neighbours: the action film 2 first (0.9), then its sibling 1 (0.6), then 3 (0.3).
    ItemNeighbors table = new ItemNeighbors(new int[] {0, 3, 3, 3, 4}, new int[] {2, 1, 3, 2}, new float[] {0.9f, 0.6f, 0.3f, -0.5f});
    ItemNeighbors mixed = SimilarTables.withGenres(table, catalog(), 1.0);
    // (s / s_max + J) / 2: movie 1 (0.6/0.9 + 1) / 2 = 0.8333, movie 2 (1 + 0) / 2 = 0.5, movie 3 (1/3 + 0) / 2.
    assertArrayEquals(new int[] {1, 2, 3}, new int[] {mixed.neighbor(0), mixed.neighbor(1), mixed.neighbor(2)});
    assertEquals((0.6 / 0.9 + 1) / 2, mixed.similarity(0), 1e-6);
    assertEquals(0.5, mixed.similarity(1), 1e-6);
    assertEquals((0.3 / 0.9) / 2, mixed.similarity(2), 1e-6);
    // Movie 3 (Drama|Action) with one negative neighbour 2 (Action): (-1 + 0.5 x 1/2) / 1.5, within [-1, 1].
    ItemNeighbors light = SimilarTables.withGenres(table, catalog(), 0.5);
    assertEquals(2, light.neighbor(3));
    assertEquals((-1 + 0.5 * 0.5) / 1.5, light.similarity(3), 1e-6);
    // Nothing added or dropped; an empty list stays empty.
    assertEquals(table.end(0) - table.start(0), mixed.end(0) - mixed.start(0));
    assertEquals(0, mixed.end(1) - mixed.start(1));
  }

  @Test
  void aChosenNameCarriesItsGenreWeightAndItsBase() {
    assertEquals("ease", SimilarTables.base("ease+genres1.0"));
    assertEquals("cosine", SimilarTables.base("cosine"));
    Catalog catalog = catalog();
    assertThrows(IllegalArgumentException.class, () -> SimilarTables.build("nonsense", null, null, null, 5, catalog));
  }
}
