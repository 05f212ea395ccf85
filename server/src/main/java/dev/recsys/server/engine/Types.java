package dev.recsys.server.engine;

import dev.recsys.models.demographics.DemographicGroups;
import java.util.List;

/** The engine's request and answer types (dense indexes; the edge maps ids and titles). */
public final class Types {

  private Types() {}

  /** How a recommendation list was produced. */
  public enum Strategy {
    PERSONALIZED,
    COLD_START_POPULAR,
    COLD_START_GENRE_POPULAR,
    FOLD_IN,
    COLD_START_DEMOGRAPHIC
  }

  /**
   * What a new user stated about themselves.
   *
   * @param age years, 0 when unknown
   */
  public record Attributes(int age, DemographicGroups.Gender gender) {
    public static final Attributes UNKNOWN = new Attributes(0, DemographicGroups.Gender.UNKNOWN);
  }

  /** What a predicted rating rests on. */
  public enum Source {
    MODEL,
    MOVIE_BASELINE,
    USER_BASELINE,
    GLOBAL_MEAN
  }

  /**
   * Which movies may be returned.
   *
   * @param genreMask movies must have one of these genres; 0 for any
   * @param excluded movie indexes never to return, sorted ascending
   * @param includeRated whether movies the user rated may be returned
   */
  public record Filter(long genreMask, int[] excluded, boolean includeRated) {
    public static final Filter NONE = new Filter(0, new int[0], false);
  }

  /** A movie and its score. */
  public record Scored(int movie, float score) {}

  /** A recommendation list, best first. */
  public record Recommendation(List<Scored> movies, Strategy strategy) {}

  /**
   * A predicted rating.
   *
   * @param movie catalogue index, or -1 for a movie not in the catalogue
   */
  public record Prediction(long movieId, int movie, float rating, Source source) {}

  /** A user's segment. */
  public record Segment(int segment, double[] distances, boolean foldedIn) {}

  /**
   * Movies similar to one movie.
   *
   * @param movie the movie the query resolved to
   * @param exact whether it was named by id or matched a title exactly
   * @param byId whether it was named by id
   * @param similar the similar movies, best first
   * @param candidates other movies the title matched
   */
  public record Similar(int movie, boolean byId, boolean exact, List<Scored> similar, List<Integer> candidates) {}

  /** A new user's ratings, as catalogue indexes. */
  public record Profile(int[] movies, float[] ratings) {}
}
