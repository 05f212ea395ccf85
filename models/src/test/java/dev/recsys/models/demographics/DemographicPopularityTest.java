package dev.recsys.models.demographics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.demographics.DemographicGroups.Gender;
import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemographicPopularityTest {

  @Test
  void agesInYearsAndMl1mCodesFallIntoTheSameBands() {
    // ml-1m codes: 1 (under 18), 18, 25, 35, 45, 50, 56; ml-100k: years.
    int[] codes = {1, 18, 25, 35, 45, 50, 56};
    int[] bands = {0, 0, 1, 2, 3, 3, 3};
    for (int i = 0; i < codes.length; i++) {
      assertEquals(bands[i], DemographicGroups.band(codes[i]), "age " + codes[i]);
    }
    assertEquals(0, DemographicGroups.band(24));
    assertEquals(1, DemographicGroups.band(34));
    assertEquals(3, DemographicGroups.band(120));
    assertEquals(0, DemographicGroups.of(20, Gender.FEMALE));
    assertEquals(7, DemographicGroups.of(60, Gender.MALE));
    assertEquals(-1, DemographicGroups.of(0, Gender.MALE));
    assertEquals(-1, DemographicGroups.of(30, Gender.UNKNOWN));
    assertEquals(Gender.UNKNOWN, DemographicGroups.gender('x'));
  }

  @Test
  void membershipIsOneGroupWhenBothAreKnownAndMixesBySizeWhenOneIsNot() {
    float[] sizes = {10, 20, 30, 40, 1, 2, 3, 4};
    float[] both = DemographicGroups.membership(30, Gender.MALE, sizes);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0}, both);
    // Gender unknown: the 25-34 band of both genders, by their sizes (20 women, 2 men).
    float[] ageOnly = DemographicGroups.membership(30, Gender.UNKNOWN, sizes);
    assertArrayEquals(new float[] {0, 20f / 22, 0, 0, 0, 2f / 22, 0, 0}, ageOnly, 1e-6f);
    // Age unknown: every band of the gender.
    float[] genderOnly = DemographicGroups.membership(0, Gender.FEMALE, sizes);
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0, 0, 0, 0}, genderOnly, 1e-6f);
    assertNull(DemographicGroups.membership(0, Gender.UNKNOWN, sizes));
    // A band nobody of the training data is in: no basis for a mixture.
    assertNull(DemographicGroups.membership(30, Gender.UNKNOWN, new float[8]));
  }

  /** Three users: a young woman who rated movies 0 and 1, a young woman who rated 1, an old man who rated 2. */
  private static DemographicPopularity handmade(float prior) {
    int[] groups = {0, 0, 7};
    int[] starts = {0, 2, 3, 4};
    int[] movies = {0, 1, 1, 2};
    return DemographicPopularity.count(3, groups, starts, movies, prior);
  }

  @Test
  void countsEachGroupShrunkTowardsEveryone() {
    // Overall share of users who rated each movie: 1/3, 2/3, 1/3.
    DemographicPopularity raw = handmade(0);
    float[] youngWomen = new float[3];
    raw.score(oneHot(0), youngWomen);
    assertArrayEquals(new float[] {0.5f, 1f, 0f}, youngWomen, 1e-6f);
    DemographicPopularity shrunk = handmade(2);
    float[] scores = new float[3];
    shrunk.score(oneHot(0), scores);
    // (count in group + 2 x share) / (2 users + 2)
    assertArrayEquals(new float[] {(1 + 2f / 3) / 4, (2 + 4f / 3) / 4, (0 + 2f / 3) / 4}, scores, 1e-6f);
    // An empty group is overall popularity.
    shrunk.score(oneHot(3), scores);
    assertArrayEquals(new float[] {1f / 3, 2f / 3, 1f / 3}, scores, 1e-6f);
    assertArrayEquals(new float[] {2, 0, 0, 0, 0, 0, 0, 1}, shrunk.groupSizes());
  }

  @Test
  void roundTripsThroughATensorFileAndRefusesADamagedOne(@TempDir Path dir) throws IOException {
    DemographicPopularity model = handmade(5);
    Path file = dir.resolve("popularity.safetensors");
    TensorFile.Writer writer = new TensorFile.Writer().ints("movie_counts", new int[] {1, 2, 1});
    model.writeTo(writer);
    writer.write(file);
    DemographicPopularity back = DemographicPopularity.readFrom(TensorFile.read(file), 3).orElseThrow();
    assertArrayEquals(model.scores(), back.scores());
    assertArrayEquals(model.groupSizes(), back.groupSizes());
    assertEquals(5f, back.prior());

    Path plain = dir.resolve("plain.safetensors");
    new TensorFile.Writer().ints("movie_counts", new int[] {1, 2, 1}).write(plain);
    assertTrue(DemographicPopularity.readFrom(TensorFile.read(plain), 3).isEmpty(), "versions without demographics still load");

    // A catalogue of another size, and a non-finite score, are refused with what is wrong.
    Exception shape = assertThrows(IOException.class, () -> DemographicPopularity.readFrom(TensorFile.read(file), 4));
    assertTrue(shape.getMessage().contains("demographic_scores"), shape.getMessage());
    float[] poisoned = model.scores().clone();
    poisoned[4] = Float.NaN;
    Path bad = dir.resolve("bad.safetensors");
    new TensorFile.Writer().floats(DemographicPopularity.SCORES, poisoned, DemographicGroups.COUNT, 3)
        .floats(DemographicPopularity.GROUP_SIZES, model.groupSizes()).floats(DemographicPopularity.PRIOR, new float[] {5}).write(bad);
    Exception nan = assertThrows(IOException.class, () -> DemographicPopularity.readFrom(TensorFile.read(bad), 3));
    assertTrue(nan.getMessage().contains("demographic_scores holds NaN at element 4"), nan.getMessage());
    assertTrue(Files.size(file) > 0);
  }

  private static float[] oneHot(int group) {
    float[] v = new float[DemographicGroups.COUNT];
    v[group] = 1;
    return v;
  }
}
