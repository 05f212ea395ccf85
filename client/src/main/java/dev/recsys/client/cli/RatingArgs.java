package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.SimilarMoviesResponse;
import java.util.List;

/**
 * Ratings typed by people: {@code 1=5} (movie id = stars) or {@code Toy Story=4.5} (title = stars;
 * the server resolves the title the way SimilarMovies does).
 */
final class RatingArgs {

  private RatingArgs() {}

  /** A resolved rating, with the title it resolved to (for display). */
  record Resolved(MovieRating rating, String title) {}

  static Resolved parse(Connection c, String text) {
    int eq = text.lastIndexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new IllegalArgumentException("a rating is <movie id or title>=<stars>, got '" + text + "'");
    }
    String what = text.substring(0, eq).strip();
    double stars;
    try {
      stars = Double.parseDouble(text.substring(eq + 1).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("stars must be a number in '" + text + "'");
    }
    if (what.matches("\\d+")) {
      return new Resolved(MovieRating.newBuilder().setMovieId(Long.parseLong(what)).setRating(stars).build(), "movie " + what);
    }
    SimilarMoviesResponse r = SimilarCommand.similar(c, what, null, 1);
    return new Resolved(MovieRating.newBuilder().setMovieId(r.getMovie().getMovieId()).setRating(stars).build(), Tables.title(r.getMovie()));
  }

  static RatingProfile profile(List<Resolved> ratings) {
    return RatingProfile.newBuilder().addAllRatings(ratings.stream().map(Resolved::rating).toList()).build();
  }
}
