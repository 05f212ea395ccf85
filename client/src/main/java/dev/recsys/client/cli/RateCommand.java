package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendForRatingsResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rate}: recommendations for a new user described by ratings. */
@Command(name = "rate", mixinStandardHelpOptions = true,
    description = "Recommendations for a list of ratings, e.g. rate \"Toy Story=5\" \"The Matrix=2\" 1=4.5")
final class RateCommand extends ApiCommand {

  @Parameters(arity = "1..*", description = "Ratings: <movie id or title>=<stars>.")
  List<String> ratings;

  @Option(names = "--k", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--diversity", defaultValue = "0", description = "Genre diversity weight, 0-1.")
  double diversity;

  @Override
  void run(Connection c) throws Exception {
    List<RatingArgs.Resolved> resolved = ratings.stream().map(r -> RatingArgs.parse(c, r)).toList();
    RecommendForRatingsResponse response = c.recommender().recommendForRatings(RecommendForRatingsRequest.newBuilder()
        .setProfile(RatingArgs.profile(resolved)).setK(k).setDiversity(diversity).build());
    if (!printedJson(response)) {
      System.out.println("for " + resolved.stream().map(r -> r.title() + "=" + r.rating().getRating()).toList()
          + ": segment " + response.getSegmentId() + ", " + Tables.served(response.getServedBy()));
      System.out.print(Tables.scored(response.getMoviesList(), "score"));
    }
  }
}
