package dev.recsys.trainer.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.trainer.data.Demographics;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.testing.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DemographicColdStartTest {

  @Test
  void ageAndGenderBeatPopularityOnMl100kValidationUsersAndAreKept() {
    MovieLensData data = Fixtures.data("ml-100k");
    DemographicColdStart.Result r = DemographicColdStart.fit(data.catalog(), data.ratings(), data.demographics().orElseThrow(), 42);
    assertTrue(r.kept(), "kept: " + r);
    assertNotNull(r.served());
    assertTrue(r.difference().low() > 0, "paired interval above zero: " + r.difference());
    assertEquals(DemographicColdStart.PRIORS.length, r.tried().size());
    assertTrue(r.validationUsers() > 200, "about 30% of 943 users: " + r.validationUsers());
  }

  @Test
  void demographicsShuffledAcrossUsersCarryNoSignalAndAreNotKept() {
    MovieLensData data = Fixtures.data("ml-100k");
    Demographics real = data.demographics().orElseThrow();
    int n = real.ages().length;
    int[] order = new SplittableRandom(5).ints(n, 0, Integer.MAX_VALUE).toArray();
    Integer[] permutation = new Integer[n];
    Arrays.setAll(permutation, i -> i);
    Arrays.sort(permutation, (a, b) -> Integer.compare(order[a], order[b]));
    int[] ages = new int[n];
    char[] genders = new char[n];
    String[] jobs = new String[n];
    for (int i = 0; i < n; i++) {
      ages[i] = real.ages()[permutation[i]];
      genders[i] = real.genders()[permutation[i]];
      jobs[i] = real.occupations()[permutation[i]];
    }
    DemographicColdStart.Result r = DemographicColdStart.fit(data.catalog(), data.ratings(), new Demographics(ages, genders, jobs), 42);
    assertFalse(r.kept(), "a label unrelated to taste must not beat popularity: " + r);
    assertNull(r.served());
    assertTrue(r.reason().contains("not better than popularity"), r.reason());
  }

  @Test
  void tooFewUsersWithKnownDemographicsGetAReasonNotAVerdict() {
    MovieLensData data = Fixtures.data("ml-100k");
    int n = data.ratings().numUsers();
    int[] ages = new int[n];
    Arrays.fill(ages, -1);
    char[] genders = new char[n];
    for (int u = 0; u < 20; u++) {
      ages[u] = 30;
      genders[u] = 'F';
    }
    DemographicColdStart.Result r = DemographicColdStart.fit(data.catalog(), data.ratings(), new Demographics(ages, genders, new String[n]), 42);
    assertFalse(r.kept());
    assertNull(r.candidate());
    assertTrue(r.reason().contains("fewer than " + DemographicColdStart.MIN_VALIDATION_USERS), r.reason());
  }
}
