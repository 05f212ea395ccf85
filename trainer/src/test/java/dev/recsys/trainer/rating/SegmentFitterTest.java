package dev.recsys.trainer.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.segments.Centroids;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** K-Means finds separated groups, and refuses points that are not numbers instead of clustering them silently. */
class SegmentFitterTest {

  private static double[][] groups(int perGroup, SplittableRandom random) {
    double[][] points = new double[3 * perGroup][2];
    for (int i = 0; i < points.length; i++) {
      int g = i / perGroup;
      points[i][0] = 10 * g + random.nextGaussian() * 0.1;
      points[i][1] = -10 * g + random.nextGaussian() * 0.1;
    }
    return points;
  }

  @Test
  void kmeans_findsThreeSeparatedGroups() {
    Centroids c = SegmentFitter.kmeans(groups(50, new SplittableRandom(1)), 3, 7);
    assertEquals(3, c.k());
    boolean[] found = new boolean[3];
    for (int j = 0; j < 3; j++) {
      double x = c.values()[j * 2];
      int g = (int) Math.round(x / 10);
      assertTrue(g >= 0 && g < 3 && Math.abs(x - 10 * g) < 0.2, "a centre near a group: " + x);
      found[g] = true;
    }
    assertTrue(found[0] && found[1] && found[2], "one centre per group");
  }

  @Test
  void kmeans_andTheElbow_refuseNonFinitePoints_namingThem() {
    double[][] points = groups(20, new SplittableRandom(2));
    points[17][1] = Double.NaN;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SegmentFitter.kmeans(points, 3, 7));
    assertTrue(e.getMessage().contains("point 17") && e.getMessage().contains("NaN"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> SegmentFitter.elbow(points, 7));
  }
}
