package dev.recsys.models.scoring;

/**
 * Blends content (genres, release years) into the collaborative scores of a new user known only by
 * a few ratings. A short profile tells a collaborative model little, while the genres and years of
 * the movies a person named say plainly what they asked for; so content weighs
 * {@code weightPerRating / n} for a profile of {@code n} ratings and fades as the profile grows.
 *
 * <p>Content score of movie {@code m}: the profile's genre preference summed over {@code m}'s genres
 * (divided by the square root of their number), where each rated movie adds its signed strength
 * {@code (rating - midpoint) / span} to its genres; plus {@code yearShare} times the liked movies'
 * mean closeness in release year, {@code exp(-|year_m - year_j| / 10)}. Both parts and the
 * collaborative scores are standardised over the catalogue before mixing. Immutable and
 * thread-safe.
 *
 * @param genreMasks genre bit mask of every catalogue movie
 * @param years release year of every catalogue movie (0 when unknown)
 * @param weightPerRating content's weight for a one-rating profile (0 turns blending off)
 * @param yearShare weight of the year closeness within the content score
 */
public record ContentBlend(long[] genreMasks, int[] years, float weightPerRating, float yearShare) {

  /** Decay, in years, of the release-year closeness. */
  static final double YEAR_SCALE = 10;

  public ContentBlend {
    if (genreMasks.length != years.length) {
      throw new IllegalArgumentException("content blend: " + genreMasks.length + " genre masks for " + years.length + " years");
    }
    if (!(weightPerRating >= 0) || !Float.isFinite(weightPerRating) || !(yearShare >= 0) || !Float.isFinite(yearShare)) {
      throw new IllegalArgumentException("content blend weights must be finite and >= 0, got " + weightPerRating + " and " + yearShare);
    }
  }

  /**
   * Mixes content into {@code scores} (one per catalogue movie) for the profile
   * {@code movies}/{@code ratings}; does nothing when the profile is empty or content's weight for
   * it is under 1%.
   */
  public void apply(int[] movies, float[] ratings, float midpoint, float span, float[] scores) {
    int n = movies.length;
    // Past a few dozen ratings content would move scores by under 1%: skip its O(movies x profile) cost.
    if (n == 0 || weightPerRating / n < 0.01f) {
      return;
    }
    int items = genreMasks.length;
    float[] content = BlendRanker.scratch(items);
    double[] preference = new double[64];
    double likedWeight = 0;
    for (int j = 0; j < n; j++) {
      double strength = (ratings[j] - midpoint) / span;
      long mask = genreMasks[movies[j]];
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        preference[g] += strength;
      }
      likedWeight += Math.max(0, strength);
    }
    for (int m = 0; m < items; m++) {
      long mask = genreMasks[m];
      double sum = 0;
      int count = Long.bitCount(mask);
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        sum += preference[g];
      }
      double genre = count == 0 ? 0 : sum / Math.sqrt(count);
      double year = 0;
      if (yearShare > 0 && likedWeight > 0 && years[m] > 0) {
        for (int j = 0; j < n; j++) {
          double strength = (ratings[j] - midpoint) / span;
          if (strength > 0 && years[movies[j]] > 0) {
            year += strength * Math.exp(-Math.abs(years[m] - years[movies[j]]) / YEAR_SCALE);
          }
        }
        year /= likedWeight;
      }
      content[m] = (float) (genre + yearShare * year);
    }
    BlendRanker.combine(scores, content, items, 1f / (1f + weightPerRating / n));
  }
}
