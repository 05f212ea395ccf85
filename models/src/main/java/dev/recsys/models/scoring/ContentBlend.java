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

  /** Release years covered by the closeness table (movies outside it get no year term). */
  static final int FIRST_YEAR = 1870;
  static final int YEARS = 200;

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
    // Past a few dozen ratings content would move scores by under 1%: skip its pass over the catalogue.
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
    // Closeness to the liked years, by year: the profile's liked years are few, the catalogue's
    // years fewer still, so this is computed per distinct year rather than per movie.
    double[] closeness = yearShare > 0 && likedWeight > 0 ? yearCloseness(movies, ratings, midpoint, span, likedWeight) : null;
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
      double year = closeness != null && years[m] >= FIRST_YEAR && years[m] < FIRST_YEAR + closeness.length ? closeness[years[m] - FIRST_YEAR] : 0;
      content[m] = (float) (genre + yearShare * year);
    }
    BlendRanker.combine(scores, content, items, 1f / (1f + weightPerRating / n));
  }

  /** The liked movies' strength-weighted mean closeness {@code exp(-|y - y_j| / 10)} for every year of the table. */
  private double[] yearCloseness(int[] movies, float[] ratings, float midpoint, float span, double likedWeight) {
    double[] liked = new double[YEARS];
    for (int j = 0; j < movies.length; j++) {
      double strength = (ratings[j] - midpoint) / span;
      int y = years[movies[j]] - FIRST_YEAR;
      if (strength > 0 && years[movies[j]] > 0 && y >= 0 && y < YEARS) {
        liked[y] += strength;
      }
    }
    double[] out = new double[YEARS];
    for (int a = 0; a < YEARS; a++) {
      if (liked[a] == 0) {
        continue;
      }
      for (int b = 0; b < YEARS; b++) {
        out[b] += liked[a] * Math.exp(-Math.abs(a - b) / YEAR_SCALE);
      }
    }
    for (int b = 0; b < YEARS; b++) {
      out[b] /= likedWeight;
    }
    return out;
  }
}
