package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColdMoviesTest {

  // Movies 0-2 are comedies (bit 0), movie 3 a drama (bit 1); movie 2 has no ratings.
  static final Catalog CATALOG = new Catalog(new long[] {1, 2, 3, 4}, new String[] {"a", "b", "c", "d"}, new int[4],
      new long[] {1, 1, 1, 2}, List.of("Comedy", "Drama"));

  @Test
  void fillEmbeddings_unratedMovie_getsItsGenresMeanEmbedding() {
    EmbeddingTables m = new EmbeddingTables(1, 4, 2, new float[2], new float[] {1, 0, 3, 2, 9, 9, -5, -5}, new float[1],
        new float[] {0.5f, 0.1f, 7f, 0.3f}, 0);
    EmbeddingTables filled = ColdMovies.fillEmbeddings(m, CATALOG, new int[] {10, 4, 0, 8});
    assertArrayEquals(new float[] {2, 1}, new float[] {filled.itemEmbeddings()[4], filled.itemEmbeddings()[5]});
    // The low end of its genre's biases, never its own untrained one.
    assertEquals(0.1f, filled.itemBiases()[2]);
    assertEquals(-5f, filled.itemEmbeddings()[6], "rated movies are untouched");
  }

  @Test
  void fillNeighbors_unratedMovie_getsPopularMoviesOfItsGenres() {
    ItemNeighbors table = new ItemNeighbors(new int[] {0, 1, 2, 2, 3}, new int[] {1, 0, 0}, new float[] {0.5f, 0.5f, 0.1f});
    ItemNeighbors filled = ColdMovies.fillNeighbors(table, CATALOG, new int[] {3, 10, 0, 20}, 2);
    assertEquals(2, filled.end(2) - filled.start(2));
    assertEquals(1, filled.neighbor(filled.start(2)), "the most rated comedy first");
    assertEquals(0, filled.neighbor(filled.start(2) + 1));
  }
}
