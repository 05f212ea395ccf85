package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.models.console.TextTable;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.PredictResponse;
import dev.recsys.proto.v1.Prediction;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict}: predicted ratings of a user for movies. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predicted star ratings of a user for movies.")
final class PredictCommand extends ApiCommand {

  @Option(names = "--user", required = true, description = "User id.")
  long user;

  @Option(names = "--movie", required = true, description = "Movie ids (repeatable, up to 1,000).")
  List<Long> movies;

  @Override
  void run(Connection c) throws Exception {
    PredictResponse response = c.recommender().predict(PredictRequest.newBuilder().setUserId(user).addAllMovieIds(movies).build());
    if (printedJson(response)) {
      return;
    }
    System.out.println("user " + user + ", rating model " + response.getRatingModel() + ", " + Tables.served(response.getServedBy()));
    TextTable t = new TextTable("movie id", "title", "predicted", "based on");
    for (Prediction p : response.getPredictionsList()) {
      t.row(p.getMovieId(), p.hasMovie() ? Tables.title(p.getMovie()) : "(not in the catalogue)",
          String.format(Locale.ROOT, "%.2f", p.getRating()), Tables.name(p.getSource(), "PREDICTION_SOURCE_"));
    }
    System.out.print(t.render());
  }
}
