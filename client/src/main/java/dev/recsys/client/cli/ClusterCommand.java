package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.ClusterResponse;
import dev.recsys.proto.v1.GenreShare;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster}: the segment of a user or of a list of ratings. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "The user segment of a known user, or of ratings (--rate).")
final class ClusterCommand extends ApiCommand {

  @Option(names = "--user", description = "A known user id.")
  Long user;

  @Option(names = "--rate", description = "Ratings of a new user: <movie id or title>=<stars> (repeatable).")
  List<String> ratings = List.of();

  @Override
  void run(Connection c) throws Exception {
    if ((user == null) == ratings.isEmpty()) {
      throw new IllegalArgumentException("give either --user or --rate");
    }
    ClusterRequest.Builder r = ClusterRequest.newBuilder();
    if (user != null) {
      r.setUserId(user);
    } else {
      r.setRatings(RatingArgs.profile(ratings.stream().map(x -> RatingArgs.parse(c, x)).toList()));
    }
    ClusterResponse response = c.recommender().cluster(r.build());
    if (printedJson(response)) {
      return;
    }
    var p = response.getProfile();
    System.out.printf(Locale.ROOT, "segment %d of %d (%s), %s%n", response.getSegmentId(), response.getDistancesCount(),
        Tables.name(response.getStrategy(), "STRATEGY_"), Tables.served(response.getServedBy()));
    System.out.printf(Locale.ROOT, "  %,d users, mean rating %.2f%n", p.getSize(), p.getMeanRating());
    System.out.println("  top genres: " + p.getTopGenresList().stream()
        .map((GenreShare g) -> String.format(Locale.ROOT, "%s %.0f%%", g.getGenre(), 100 * g.getShare())).collect(Collectors.joining(", ")));
    System.out.println("  most rated: " + p.getMostRatedList().stream().limit(5).map(Tables::title).collect(Collectors.joining("; ")));
    System.out.println("  distances: " + response.getDistancesList().stream().map(d -> String.format(Locale.ROOT, "%.3f", d)).collect(Collectors.joining(" ")));
  }
}
