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

  @Test
  void build_keepsExactlyTheTopKOfAFullSort_tiesToTheLowerMovie() {
    // Asymmetric cosine on ml-100k has many exact ties (small integer counts), which is where a
    // bounded-heap selection could drift from a sort.
    RatingsTable t = dev.recsys.trainer.testing.Fixtures.data("ml-100k").ratings();
    NeighborBuilder.Config config = NeighborBuilder.Config.defaults(20).asymmetric(0.5, 10);
    ItemNeighbors table = NeighborBuilder.build(t, (u, m) -> 0, config);
    int[] raters = t.movieCounts();
    for (int i : new int[] {0, 1, 49, 180, 1500}) {
      // Brute force: the co-rater count with every other movie, then a full sort.
      int[] common = new int[t.numMovies()];
      for (int u = 0; u < t.numUsers(); u++) {
        boolean rated = false;
        for (int r = t.userStart(u); r < t.userEnd(u); r++) {
          rated |= t.movie(r) == i;
        }
        if (rated) {
          for (int r = t.userStart(u); r < t.userEnd(u); r++) {
            common[t.movie(r)]++;
          }
        }
      }
      java.util.List<float[]> expected = new java.util.ArrayList<>();
      for (int j = 0; j < t.numMovies(); j++) {
        int c = common[j];
        if (j != i && c >= config.minCommon()) {
          double denom = Math.pow(raters[i], 0.5) * Math.pow(raters[j], 0.5);
          expected.add(new float[] {j, (float) (c / denom * (c - 1) / (c - 1 + 10.0))});
        }
      }
      expected.sort((a, b) -> a[1] != b[1] ? Float.compare(b[1], a[1]) : Float.compare(a[0], b[0]));
      int k = Math.min(20, expected.size());
      assertEquals(k, table.end(i) - table.start(i), "movie " + i);
      for (int n = 0; n < k; n++) {
        assertEquals((int) expected.get(n)[0], table.neighbor(table.start(i) + n), "movie " + i + ", rank " + n);
        assertEquals(expected.get(n)[1], table.similarity(table.start(i) + n), 1e-6f);
      }
    }
  }

  @Test
  void buildAll_givesEachConfigsTableExactly_fromOnePass() {
    RatingsTable t = dev.recsys.trainer.testing.Fixtures.data("ml-100k").ratings();
    NeighborBuilder.Config base = NeighborBuilder.Config.defaults(20);
    java.util.List<NeighborBuilder.Config> configs = java.util.List.of(
        base.with(NeighborBuilder.Similarity.COSINE_IMPLICIT, 10), base.asymmetric(0.8, 10), base);
    dev.recsys.models.rating.RatingPredictor baseline = (u, m) -> 3.5f + 0.1f * (m % 7) - 0.05f * (u % 5);
    java.util.List<ItemNeighbors> together = NeighborBuilder.buildAll(t, baseline, configs, dev.recsys.models.console.Progress.silent("t"));
    for (int c = 0; c < configs.size(); c++) {
      // Alone, the implicit similarities are built with no baseline at all, as the trainer builds them.
      ItemNeighbors alone = NeighborBuilder.build(t, c < 2 ? (u, m) -> 0 : baseline, configs.get(c));
      ItemNeighbors fused = together.get(c);
      assertEquals(alone.items(), fused.items());
      for (int i = 0; i < alone.items(); i++) {
        assertEquals(alone.end(i) - alone.start(i), fused.end(i) - fused.start(i), "config " + c + ", movie " + i);
        for (int x = alone.start(i), y = fused.start(i); x < alone.end(i); x++, y++) {
          assertEquals(alone.neighbor(x), fused.neighbor(y), "config " + c + ", movie " + i);
          assertEquals(Float.floatToIntBits(alone.similarity(x)), Float.floatToIntBits(fused.similarity(y)), "config " + c + ", movie " + i);
        }
      }
    }
  }
}
