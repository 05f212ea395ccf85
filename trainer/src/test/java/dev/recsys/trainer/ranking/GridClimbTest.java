package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The climb finds the peak of a single-peaked grid while scoring fewer points than the grid has, each once. */
class GridClimbTest {

  /** A single peak at (a, b) in log space: what validation quality against two penalties looks like. */
  private static double peak(double[] p, double a, double b) {
    double x = Math.log10(p[0]) - Math.log10(a);
    double y = Math.log10(p[1]) - Math.log10(b);
    return -(x * x + y * y + 0.5 * x * y);
  }

  @Test
  void twoAxes_findsTheGridsBest_scoringEachPointOnce_andFewerThanAll() {
    List<Double> first = List.of(0.01, 0.1, 1.0, 10.0, 100.0);
    List<Double> second = List.of(0.001, 0.01, 0.1, 1.0);
    List<double[]> scored = new ArrayList<>();
    GridClimb.Result r = GridClimb.climb(List.of(GridClimb.Axis.of(first), GridClimb.Axis.of(second)), p -> {
      scored.add(p.clone());
      return peak(p, 10, 0.001);
    });
    assertArrayEquals(new double[] {10, 0.001}, r.best(), 1e-12, "the grid's best point");
    Set<List<Double>> distinct = new HashSet<>();
    scored.forEach(p -> distinct.add(List.of(p[0], p[1])));
    assertEquals(scored.size(), distinct.size(), "no point scored twice");
    assertTrue(scored.size() < first.size() * second.size(), "scored " + scored.size() + " of " + first.size() * second.size());
    assertEquals(scored.size(), r.tried().size());
    assertEquals(peak(r.best(), 10, 0.001), r.bestScore(), 0);
    assertArrayEquals(new double[] {1.0, 0.1}, scored.getFirst(), 0, "starts at the middle of each axis (the upper middle for even sizes)");
  }

  @Test
  void diagonalRidge_isFollowed_whereStepsAlongOneAxisAllLoseGround() {
    List<Double> grid = List.of(0.01, 0.1, 1.0, 10.0, 100.0);
    // Best along the diagonal of the two logs (two settings that trade off), peak at (10, 10).
    GridClimb.Result r = GridClimb.climb(List.of(GridClimb.Axis.of(grid), GridClimb.Axis.of(grid)), p -> {
      double x = Math.log10(p[0]);
      double y = Math.log10(p[1]);
      return -10 * (x - y) * (x - y) - (x + y - 2) * (x + y - 2);
    });
    assertArrayEquals(new double[] {10, 10}, r.best(), 1e-12, "every single-axis step from (1, 1) is worse; the diagonal one is not");
  }

  @Test
  void peakPastTheGridsEnd_extendsUpToTheLimit_andNoFurther() {
    List<Double> grid = List.of(1.0, 2.0, 4.0);
    List<Double> scored = new ArrayList<>();
    GridClimb.Result r = GridClimb.climb(List.of(new GridClimb.Axis(grid, 2, 2)), p -> {
      scored.add(p[0]);
      return p[0]; // better the larger: the climb runs to the last extension
    });
    assertEquals(List.of(2.0, 4.0, 8.0, 16.0), scored);
    assertEquals(16.0, r.best()[0], 0);

    List<Double> below = new ArrayList<>();
    GridClimb.climb(List.of(new GridClimb.Axis(grid, 1, 10)), p -> {
      below.add(p[0]);
      return -p[0]; // better the smaller: past the first value by the ratio
    });
    assertEquals(List.of(2.0, 4.0, 1.0, 0.1), below);
  }

  @Test
  void singleValues_areTakenAsGiven() {
    List<double[]> scored = new ArrayList<>();
    GridClimb.Result r = GridClimb.climb(List.of(new GridClimb.Axis(List.of(64.0), 3, 2), GridClimb.Axis.of(List.of(0.5))), p -> {
      scored.add(p);
      return 1;
    });
    assertEquals(1, scored.size(), "one point, never extended");
    assertArrayEquals(new double[] {64, 0.5}, r.best(), 0);
  }

  @Test
  void badAxes_areRefusedNamingTheValue_andRepeatedValuesCountOnce() {
    assertThrows(IllegalArgumentException.class, () -> GridClimb.Axis.of(List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GridClimb.Axis(List.of(1.0, 2.0), 1, 0.5));
    assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new GridClimb.Axis(List.of(-1.0, 2.0), 1, 2));
    assertTrue(negative.getMessage().contains("-1.0"), negative.getMessage());
    assertEquals(List.of(1.0, 2.0), new GridClimb.Axis(List.of(2.0, 1.0, 2.0), 1, 2).values());
  }

  @Test
  void unscorablePoints_countAsWorst() {
    List<Double> scored = new ArrayList<>();
    GridClimb.Result r = GridClimb.climb(List.of(GridClimb.Axis.of(List.of(1.0, 2.0, 3.0))), p -> {
      scored.add(p[0]);
      return p[0] == 2.0 ? Double.NaN : p[0];
    });
    assertEquals(3.0, r.best()[0], 0, "moved away from the unscorable middle: " + scored);
  }
}
