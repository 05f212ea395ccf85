package dev.recsys.client.shell;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendForRatingsResponse;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.proto.v1.SimilarMoviesResponse;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell's commands, independent of the terminal: one line in, text out. Holds the ad-hoc rating
 * profile of the session. Not thread-safe (one session).
 */
public final class Shell {

  static final String HELP = """
      <title>               movies similar to a title, e.g.  the matrix
      user <id> [k]         a user's top recommendations (default 5)
      rate <title> <stars>  add a rating to your profile and get recommendations for it
      profile               show your ratings;  reset  forget them
      help                  this text;  quit  leave
      """;

  private static final Pattern USER = Pattern.compile("(?i)user\\s+(\\d+)(?:\\s+(\\d+))?");
  private static final Pattern RATE = Pattern.compile("(?i)rate\\s+(.+?)\\s+(\\d+(?:\\.\\d+)?)\\s*");

  private final Connection connection;
  private final PrintWriter out;
  private final Map<Long, MovieRating> profile = new LinkedHashMap<>();
  private final Map<Long, String> titles = new LinkedHashMap<>();

  public Shell(Connection connection, PrintWriter out) {
    this.connection = connection;
    this.out = out;
  }

  /** Runs one line; returns false when the session should end. */
  public boolean handle(String rawLine) {
    String line = rawLine.strip();
    if (line.isEmpty()) {
      return true;
    }
    try {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.equals("quit") || lower.equals("exit")) {
        return false;
      } else if (lower.equals("help") || lower.equals("?")) {
        out.print(HELP);
      } else if (lower.equals("reset")) {
        profile.clear();
        titles.clear();
        out.println("profile cleared");
      } else if (lower.equals("profile")) {
        showProfile();
      } else if (USER.matcher(line).matches()) {
        Matcher m = USER.matcher(line);
        m.matches();
        user(Long.parseLong(m.group(1)), m.group(2) == null ? 5 : Integer.parseInt(m.group(2)));
      } else if (lower.startsWith("rate ")) {
        Matcher m = RATE.matcher(line);
        if (!m.matches()) {
          out.println("usage: rate <title> <stars>, e.g.  rate toy story 4.5");
        } else {
          rate(m.group(1), Double.parseDouble(m.group(2)));
        }
      } else {
        similar(line);
      }
    } catch (StatusRuntimeException e) {
      String d = e.getStatus().getDescription();
      out.println(e.getStatus().getCode() + (d == null ? "" : ": " + d));
    } catch (NumberFormatException e) {
      // The patterns admit digits only, so this is a number past a long (or a double's) range.
      out.println("not a usable number in '" + line + "': " + e.getMessage());
    }
    out.flush();
    return true;
  }

  private void similar(String title) {
    SimilarMoviesResponse r = connection.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle(title).setK(10).build());
    out.println("similar to " + title(r.getMovie()) + (r.getCandidatesCount() > 0
        ? "  (also: " + String.join("; ", r.getCandidatesList().stream().limit(3).map(Shell::title).toList()) + ")" : ""));
    print(r.getSimilarList());
  }

  private void user(long id, int k) {
    RecommendResponse r = connection.recommender().recommend(RecommendRequest.newBuilder().setUserId(id).setK(k).build());
    out.println("user " + id + " (" + r.getStrategy().name().replace("STRATEGY_", "").toLowerCase(Locale.ROOT).replace('_', ' ') + "):");
    print(r.getMoviesList());
  }

  private void rate(String title, double stars) {
    SimilarMoviesResponse resolved = connection.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle(title).setK(1).build());
    long id = resolved.getMovie().getMovieId();
    // Kept only once the server accepts it: a refused rating (out of range, say) must not stay in
    // the profile and fail every later call until a reset.
    Map<Long, MovieRating> next = new LinkedHashMap<>(profile);
    next.put(id, MovieRating.newBuilder().setMovieId(id).setRating(stars).build());
    RecommendForRatingsResponse r = connection.recommender().recommendForRatings(RecommendForRatingsRequest.newBuilder()
        .setProfile(RatingProfile.newBuilder().addAllRatings(next.values())).setK(5).build());
    profile.put(id, next.get(id));
    titles.put(id, title(resolved.getMovie()));
    out.printf(Locale.ROOT, "rated %s %.1f (%d in your profile)%n", title(resolved.getMovie()), stars, profile.size());
    out.println("recommended for you (segment " + r.getSegmentId() + "):");
    print(r.getMoviesList());
  }

  private void showProfile() {
    if (profile.isEmpty()) {
      out.println("no ratings yet: rate <title> <stars>");
    }
    profile.forEach((id, r) -> out.printf(Locale.ROOT, "  %.1f  %s%n", r.getRating(), titles.get(id)));
  }

  private void print(List<ScoredMovie> movies) {
    for (ScoredMovie m : movies) {
      out.printf(Locale.ROOT, "  %2d. %-60s %s%n", m.getRank(), title(m.getMovie()), String.join("|", m.getMovie().getGenresList()));
    }
  }

  static String title(dev.recsys.proto.v1.Movie m) {
    return m.getYear() > 0 ? m.getTitle() + " (" + m.getYear() + ")" : m.getTitle();
  }
}
