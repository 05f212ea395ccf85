package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.RecommendationFilter;
import dev.recsys.proto.v1.UserAttributes;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recommend}: top-k movies for a user. */
@Command(name = "recommend", mixinStandardHelpOptions = true, description = "Top-k movies for a user (cold start for an unknown user).")
final class RecommendCommand extends ApiCommand {

  @Option(names = "--user", required = true, description = "User id.")
  long user;

  @Option(names = "--k", defaultValue = "10", description = "How many (1-500; default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--genre", description = "Only these genres (repeatable).")
  List<String> genres = List.of();

  @Option(names = "--exclude", description = "Movie ids never to return (repeatable).")
  List<Long> exclude = List.of();

  @Option(names = "--include-rated", description = "Also return movies the user rated.")
  boolean includeRated;

  @Option(names = "--diversity", defaultValue = "0", description = "Genre diversity weight, 0-1 (default: ${DEFAULT-VALUE}).")
  double diversity;

  @Option(names = "--version", description = "Serve from this loaded model version.")
  Long version;

  @Option(names = "--age", description = "An unknown user's stated age in years (1-120), for the cold start by age and gender.")
  Integer age;

  @Option(names = "--gender", description = "An unknown user's stated gender: female or male.")
  Gender gender;

  /** The genders the cold start distinguishes. */
  enum Gender {
    female,
    male
  }

  @Override
  void run(Connection c) throws Exception {
    RecommendRequest.Builder r = RecommendRequest.newBuilder().setUserId(user).setK(k).setDiversity(diversity)
        .setFilter(RecommendationFilter.newBuilder().addAllGenres(genres).addAllExcludeMovieIds(exclude).setIncludeRated(includeRated));
    if (version != null) {
      r.setPinnedVersion(version);
    }
    if (age != null || gender != null) {
      UserAttributes.Builder a = UserAttributes.newBuilder();
      if (age != null) {
        a.setAge(age); // the server checks the range and names the value when it is out
      }
      if (gender != null) {
        a.setGender(gender == Gender.female ? dev.recsys.proto.v1.Gender.GENDER_FEMALE : dev.recsys.proto.v1.Gender.GENDER_MALE);
      }
      r.setAttributes(a);
    }
    RecommendResponse response = c.recommender().recommend(r.build());
    if (!printedJson(response)) {
      System.out.println("user " + user + ": " + Tables.name(response.getStrategy(), "STRATEGY_") + ", " + Tables.served(response.getServedBy()));
      System.out.print(Tables.scored(response.getMoviesList(), "score"));
    }
  }
}
