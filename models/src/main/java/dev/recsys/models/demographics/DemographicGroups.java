package dev.recsys.models.demographics;

/**
 * The demographic groups: gender (female, male) crossed with four age bands (under 25, 25-34,
 * 35-44, 45 and over). Ages are years (ml-100k's {@code u.user}) or ml-1m's age codes (1, 18, 25,
 * 35, 45, 50, 56: each the lower end of its band), which fall into the same bands.
 *
 * <p>Occupation and finer bands were measured too and not kept: on validation users of ml-100k,
 * occupation alone tied with plain popularity, and crossing it with gender and age spread ~940
 * users over 168 groups, scoring below gender x age (see docs/ranking-models.md).
 */
public final class DemographicGroups {

  /** A person's stated gender; {@link #UNKNOWN} when not given. */
  public enum Gender {
    FEMALE,
    MALE,
    UNKNOWN
  }

  /** Lower ends of the age bands after the first. */
  private static final int[] AGE_BOUNDS = {25, 35, 45};

  /** Oldest age accepted, in years. */
  public static final int MAX_AGE = 120;

  /** Number of groups. */
  public static final int COUNT = 2 * (AGE_BOUNDS.length + 1);

  private DemographicGroups() {}

  /** The age band of {@code age} (years or an ml-1m code, > 0). */
  public static int band(int age) {
    int band = 0;
    while (band < AGE_BOUNDS.length && age >= AGE_BOUNDS[band]) {
      band++;
    }
    return band;
  }

  /** The group of a person whose age and gender are both known, or -1. */
  public static int of(int age, Gender gender) {
    if (age <= 0 || gender == Gender.UNKNOWN) {
      return -1;
    }
    return (gender == Gender.FEMALE ? 0 : 1) * (AGE_BOUNDS.length + 1) + band(age);
  }

  /**
   * How much a person belongs to each group: one group when age and gender are both known; when
   * only one is, the groups it allows, weighted by their sizes; null when neither is known (or the
   * allowed groups are all empty).
   *
   * @param age years or an ml-1m age code; 0 or less when unknown
   * @param sizes people counted in each group (length {@link #COUNT})
   */
  public static float[] membership(int age, Gender gender, float[] sizes) {
    float[] weights = new float[COUNT];
    double total = 0;
    for (int g = 0; g < COUNT; g++) {
      boolean ageFits = age <= 0 || band(age) == g % (AGE_BOUNDS.length + 1);
      boolean genderFits = gender == Gender.UNKNOWN || (gender == Gender.FEMALE) == (g < AGE_BOUNDS.length + 1);
      if (ageFits && genderFits) {
        weights[g] = sizes[g];
        total += sizes[g];
      }
    }
    if ((age <= 0 && gender == Gender.UNKNOWN) || !(total > 0)) {
      return null;
    }
    for (int g = 0; g < COUNT; g++) {
      weights[g] /= (float) total;
    }
    return weights;
  }

  /** Gender from a MovieLens file's letter ('F', 'M'; anything else unknown). */
  public static Gender gender(char letter) {
    return letter == 'F' ? Gender.FEMALE : letter == 'M' ? Gender.MALE : Gender.UNKNOWN;
  }
}
