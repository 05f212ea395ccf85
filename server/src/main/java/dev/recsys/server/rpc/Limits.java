package dev.recsys.server.rpc;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.demographics.DemographicGroups;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.RecommendationFilter;
import dev.recsys.proto.v1.UserAttributes;
import dev.recsys.server.engine.RequestException;
import dev.recsys.server.engine.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The contract's limits (documented in {@code recommender.proto}) and the checks that enforce them.
 * Every violation is an INVALID_ARGUMENT naming the field, the value and the rule.
 */
public final class Limits {

  public static final int MAX_K = 500;
  public static final int MAX_SIMILAR_K = 50;
  public static final int MAX_PREDICT_MOVIES = 1_000;
  public static final int MAX_EXCLUDED = 10_000;
  public static final int MAX_GENRES = 20;
  public static final int MAX_RATINGS = 1_000;
  public static final int MAX_TITLE = 200;
  public static final double MIN_STARS = 0.5;
  public static final double MAX_STARS = 5.0;
  public static final int MAX_SAMPLE = 100_000;

  private Limits() {}

  static RequestException invalid(String field, Object value, String rule) {
    return RequestException.invalid(field + " " + rule + ", got " + value);
  }

  static void positive(String field, long value) {
    if (value <= 0) {
      throw invalid(field, value, value == 0 ? "is required (> 0)" : "must be > 0");
    }
  }

  static void range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(field, value, "must be in [" + min + ", " + max + "]");
    }
  }

  static Long pinned(boolean has, long version) {
    if (!has) {
      return null;
    }
    positive("pinned_version", version);
    return version;
  }

  /** Checks a new user's stated attributes; unknown when none are given. */
  static Types.Attributes attributes(boolean has, UserAttributes a) {
    if (!has) {
      return Types.Attributes.UNKNOWN;
    }
    if (a.getAge() != 0) {
      range("attributes.age", a.getAge(), 1, DemographicGroups.MAX_AGE);
    }
    DemographicGroups.Gender gender = switch (a.getGender()) {
      case GENDER_FEMALE -> DemographicGroups.Gender.FEMALE;
      case GENDER_MALE -> DemographicGroups.Gender.MALE;
      case GENDER_UNSPECIFIED -> DemographicGroups.Gender.UNKNOWN;
      case UNRECOGNIZED -> throw invalid("attributes.gender", a.getGenderValue(), "must be GENDER_UNSPECIFIED, GENDER_FEMALE or GENDER_MALE");
    };
    return new Types.Attributes(a.getAge(), gender);
  }

  static double diversity(double d) {
    if (!(d >= 0 && d <= 1)) {
      throw invalid("diversity", d, "must be in [0, 1]");
    }
    return d;
  }

  /** Checks a filter and turns it into the engine's form against the serving catalogue. */
  static Types.Filter filter(RecommendationFilter f, Catalog catalog) {
    if (f.getGenresCount() > MAX_GENRES) {
      throw invalid("filter.genres", f.getGenresCount() + " names", "must hold at most " + MAX_GENRES);
    }
    if (f.getExcludeMovieIdsCount() > MAX_EXCLUDED) {
      throw invalid("filter.exclude_movie_ids", f.getExcludeMovieIdsCount() + " ids", "must hold at most " + MAX_EXCLUDED);
    }
    long mask = 0;
    for (String g : f.getGenresList()) {
      int index = catalog.genreIndex(g.strip());
      if (index < 0) {
        throw invalid("filter.genres", "'" + g + "'", "must name genres of the catalogue " + catalog.genres());
      }
      mask |= 1L << index;
    }
    int[] excluded = new int[f.getExcludeMovieIdsCount()];
    int n = 0;
    for (long id : f.getExcludeMovieIdsList()) {
      positive("filter.exclude_movie_ids[]", id);
      int m = catalog.indexOf(id);
      // An id the catalogue does not hold can never be recommended: nothing to exclude.
      if (m >= 0) {
        excluded[n++] = m;
      }
    }
    excluded = Arrays.copyOf(excluded, n);
    Arrays.sort(excluded);
    return new Types.Filter(mask, excluded, f.getIncludeRated());
  }

  /** Checks a rating profile against the serving catalogue. */
  static Types.Profile profile(String field, RatingProfile p, Catalog catalog) {
    List<MovieRating> ratings = p.getRatingsList();
    if (ratings.isEmpty() || ratings.size() > MAX_RATINGS) {
      throw invalid(field + ".ratings", ratings.size() + " pairs", "must hold 1 to " + MAX_RATINGS);
    }
    int[] movies = new int[ratings.size()];
    float[] stars = new float[ratings.size()];
    for (int i = 0; i < movies.length; i++) {
      MovieRating r = ratings.get(i);
      positive(field + ".ratings[" + i + "].movie_id", r.getMovieId());
      double v = r.getRating();
      if (!(v >= MIN_STARS && v <= MAX_STARS)) {
        throw invalid(field + ".ratings[" + i + "].rating", v, String.format(Locale.ROOT, "must be in [%.1f, %.1f]", MIN_STARS, MAX_STARS));
      }
      int m = catalog.indexOf(r.getMovieId());
      if (m < 0) {
        throw RequestException.notFound("movie " + r.getMovieId() + " (" + field + ".ratings[" + i + "]) is not in the catalogue");
      }
      movies[i] = m;
      stars[i] = (float) v;
    }
    int[] sorted = movies.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw invalid(field + ".ratings", "movie " + catalog.movieId(sorted[i]) + " twice", "must rate each movie at most once");
      }
    }
    return new Types.Profile(movies, stars);
  }

  static String title(String title) {
    if (title.isBlank()) {
      throw invalid("title", "'" + title + "'", "must not be empty");
    }
    if (title.length() > MAX_TITLE) {
      throw invalid("title", title.length() + " characters", "must be at most " + MAX_TITLE + " characters");
    }
    return title;
  }
}
