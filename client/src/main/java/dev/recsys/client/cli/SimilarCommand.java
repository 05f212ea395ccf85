package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.Movie;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.proto.v1.SimilarMoviesResponse;
import dev.recsys.proto.v1.TitleMatch;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code similar}: movies similar to a title or a movie id. */
@Command(name = "similar", mixinStandardHelpOptions = true, description = "Movies similar to a title (or a movie id).")
final class SimilarCommand extends ApiCommand {

  static final class Query {
    @Option(names = "--title", description = "A title, e.g. \"the matrix\".")
    String title;

    @Option(names = "--movie", description = "A movie id.")
    Long movie;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Query query;

  @Option(names = "--k", defaultValue = "10", description = "How many (1-50; default: ${DEFAULT-VALUE}).")
  int k;

  @Override
  void run(Connection c) throws Exception {
    SimilarMoviesResponse response = similar(c, query.title, query.movie, k);
    if (!printedJson(response)) {
      System.out.print(render(response));
    }
  }

  static SimilarMoviesResponse similar(Connection c, String title, Long movie, int k) {
    SimilarMoviesRequest.Builder r = SimilarMoviesRequest.newBuilder().setK(k);
    if (title != null) {
      r.setTitle(title);
    } else {
      r.setMovieId(movie);
    }
    return c.recommender().similarMovies(r.build());
  }

  static String render(SimilarMoviesResponse response) {
    StringBuilder sb = new StringBuilder();
    sb.append("similar to ").append(Tables.title(response.getMovie())).append(" [").append(String.join("|", response.getMovie().getGenresList()))
        .append("]").append(response.getMatch() == TitleMatch.TITLE_MATCH_APPROXIMATE ? " (closest title match)" : "")
        .append(", ").append(Tables.served(response.getServedBy())).append('\n');
    if (response.getCandidatesCount() > 0) {
      sb.append("  also matching: ").append(response.getCandidatesList().stream().limit(5).map(Tables::title).collect(Collectors.joining("; "))).append('\n');
    }
    sb.append(Tables.scored(response.getSimilarList(), "similarity"));
    return sb.toString();
  }

  static String id(Movie m) {
    return Long.toString(m.getMovieId());
  }
}
