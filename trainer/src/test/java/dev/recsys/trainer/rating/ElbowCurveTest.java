package dev.recsys.trainer.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ElbowCurveTest {

  @Test
  void knee_ofAClearElbow_isWhereTheCurveBends() {
    int[] ks = {2, 3, 4, 5, 6, 7, 8};
    double[] inertia = {100, 60, 30, 27, 25, 24, 23};
    assertEquals(4, ElbowCurve.of(ks, inertia).knee());
  }

  @Test
  void knee_ofAStraightLine_isTheFirstPoint() {
    int[] ks = {2, 3, 4, 5};
    double[] inertia = {40, 30, 20, 10};
    assertEquals(2, ElbowCurve.of(ks, inertia).knee());
  }
}
