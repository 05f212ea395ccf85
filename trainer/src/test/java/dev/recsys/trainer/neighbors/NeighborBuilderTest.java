package dev.recsys.trainer.neighbors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.trainer.data.RatingsTable;
import org.junit.jupiter.api.Test;

class NeighborBuilderTest {

  @Test
  void build_cosineWithShrinkage_matchesHandComputedValues() {
    // Users 0..2 rate movies 0..2; movie 0 and 1 move together, movie 2 against them.
    int[] users = {0, 0, 0, 1, 1, 1, 2, 2};
    int[] movies = {0, 1, 2, 0, 1, 2, 0, 1};
    float[] ratings = {1, 1, -1, 2, 2, -2, 1, 2};
    RatingsTable t = RatingsTable.of(3, 3, users, movies, ratings, new int[8]);

    ItemNeighbors n = NeighborBuilder.build(t, (u, m) -> 0, new NeighborBuilder.Config(NeighborBuilder.Similarity.PEARSON_BASELINE, 2, 1, 2, 1, 0.5));

    // cos(0,1) over users 0,1,2 = (1+4+2)/sqrt(6*9); 3 common raters, shrink (3-1)/(3-1+1).
    double cos01 = 7 / Math.sqrt(6 * 9) * 2 / 3.0;
    // cos(0,2) over users 0,1 = -5/5 = -1; 2 common raters, shrink 1/2.
    double cos02 = -1 * 1 / 2.0;
    assertEquals(1, n.neighbor(n.start(0)));
    assertEquals(cos01, n.similarity(n.start(0)), 1e-6);
    assertEquals(2, n.neighbor(n.start(0) + 1));
    assertEquals(cos02, n.similarity(n.start(0) + 1), 1e-6);
    assertEquals(2, n.end(2) - n.start(2));
  }
}
