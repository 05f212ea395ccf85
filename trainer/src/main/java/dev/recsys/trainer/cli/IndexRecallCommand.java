package dev.recsys.trainer.cli;

import dev.recsys.models.ann.MovieIndex;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.console.TextTable;
import dev.recsys.models.scoring.RankingModel;
import dev.recsys.models.manifest.ArtifactFile;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.models.scoring.CandidateFilter;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code recsys-trainer registry index-recall}: a published version's graph index against exact
 * scoring, on users its candidate count was not tuned on (odd-numbered; tuning used even ones), with
 * the server's own filter and fallback code: recall@10 and single-thread latency of both, with no
 * filter, with each user's rated movies excluded, and with one genre asked for as well.
 */
@Command(name = "index-recall", mixinStandardHelpOptions = true,
    description = "Recall@10 and latency of a version's graph index against exact scoring, with and without filters.")
public final class IndexRecallCommand implements Callable<Integer> {

  @Mixin RegistryOptions options;

  @Option(names = "--version", description = "Version number (default: the production alias's).")
  Long version;

  @Option(names = "--users", defaultValue = "300", description = "Users to query, odd-numbered ones only (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--seed", defaultValue = "11", description = "Seed of the user and genre draw (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  /** One filter case's measurements. */
  record Case(String name, double recall, double recallSpread, int graphAnswers, int exactAnswers, double exactP50Micros,
      double exactP99Micros, double servedP50Micros, double servedP99Micros) {}

  @Override
  public Integer call() throws IOException {
    if (users < 1) {
      throw new IllegalArgumentException("--users must be >= 1, got " + users);
    }
    ModelRegistry registry = options.open();
    long v = version != null ? version : registry.alias(options.name(), Alias.PRODUCTION).map(Alias::version)
        .orElseThrow(() -> new IllegalArgumentException("no --version given and " + options.name() + " has no production alias"));
    VersionCheck check = registry.verify(options.name(), v);
    if (!check.valid()) {
      throw new IllegalArgumentException("version " + v + " is invalid: " + check.problem());
    }
    ModelBundle bundle = ModelBundle.load(check.dir(), check.manifest(), true);
    if (bundle.spec().ann() == null) {
      throw new IllegalArgumentException("version " + v + " has no graph index (its catalogue has " + bundle.catalog().size()
          + " movies; the trainer builds one from --ann-min-movies up)");
    }
    RankingModel ranking = bundle.ranking();
    DotScorer exact = ranking.movies();
    CandidateFilter filters = new CandidateFilter(bundle.genreMasks());
    int[] sample = MovieIndex.sampleUsers(ranking.users(), users, 1, seed);
    List<Case> cases = new ArrayList<>();
    try (MovieIndex index = MovieIndex.open(check.dir(), check.manifest().files().stream().map(ArtifactFile::name).toList(), ranking,
        bundle.spec().ann())) {
      for (String name : List.of("no filter", "rated excluded", "one genre, rated excluded")) {
        cases.add(measure(name, bundle, index, exact, filters, sample));
      }
    }
    TextTable table = new TextTable("filter", "recall@10", "graph / exact answers", "exact p50 / p99 us", "served p50 / p99 us");
    for (Case c : cases) {
      table.row(c.name(), String.format(Locale.ROOT, "%.4f +- %.4f", c.recall(), c.recallSpread()), c.graphAnswers() + " / " + c.exactAnswers(),
          String.format(Locale.ROOT, "%.0f / %.0f", c.exactP50Micros(), c.exactP99Micros()),
          String.format(Locale.ROOT, "%.0f / %.0f", c.servedP50Micros(), c.servedP99Micros()));
    }
    System.out.printf(Locale.ROOT, "version %d: %,d movies, dim %d, %d candidates per 10 (tuned on %d even-numbered users: recall %.3f); "
            + "%d odd-numbered users%n", v, ranking.items(), ranking.dim(), index(bundle).candidates(), index(bundle).tuningUsers(),
        index(bundle).tuningRecallAt10(), sample.length);
    System.out.print(table.render());
    if (json != null) {
      ObjectNode root = Json.object();
      root.put("version", v);
      root.put("movies", ranking.items());
      root.put("dim", ranking.dim());
      root.put("candidates", index(bundle).candidates());
      root.put("users", sample.length);
      ArrayNode rows = root.putArray("cases");
      cases.forEach(c -> rows.add(Json.MAPPER.valueToTree(c)));
      dev.recsys.models.io.AtomicFiles.writeDurably(json, out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root));
    }
    return 0;
  }

  private static MovieIndex.Settings index(ModelBundle bundle) {
    return bundle.spec().ann();
  }

  /**
   * Recall of what the server would answer (graph, or exact where the graph declines) against exact
   * scoring under the same filter, and the latency of each, for one filter case.
   */
  private Case measure(String name, ModelBundle bundle, MovieIndex index, DotScorer exact, CandidateFilter filters, int[] sample)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed + name.hashCode());
    UserRatings rated = bundle.users();
    int genres = bundle.catalog().genres().size();
    double[] recalls = new double[sample.length];
    long[] exactNanos = new long[sample.length];
    long[] servedNanos = new long[sample.length];
    int graph = 0;
    for (int i = 0; i < sample.length; i++) {
      int u = sample[i];
      float[] vector = bundle.ranking().userVector(u);
      long genreMask = name.startsWith("one genre") && genres > 0 ? 1L << random.nextInt(genres) : 0;
      TopK.Filter filter = name.equals("no filter") ? TopK.Filter.ALL
          : filters.allowing(genreMask, rated.movies(), rated.start(u), rated.end(u), new int[0]);
      long t0 = System.nanoTime();
      int[] truth = exact.top(vector, 10, filter).indexes();
      long t1 = System.nanoTime();
      TopK.Result served = index.top(vector, 10, filter, filters.acceptedShare(genreMask));
      if (served == null) {
        served = exact.top(vector, 10, filter);
      } else {
        graph++;
      }
      long t2 = System.nanoTime();
      exactNanos[i] = t1 - t0;
      servedNanos[i] = t2 - t1;
      recalls[i] = truth.length == 0 ? 1 : MovieIndex.overlap(truth, served.indexes()) / (double) truth.length;
    }
    double mean = Arrays.stream(recalls).average().orElse(1);
    double sd = Math.sqrt(Arrays.stream(recalls).map(r -> (r - mean) * (r - mean)).sum() / Math.max(1, recalls.length - 1));
    return new Case(name, mean, sd / Math.sqrt(recalls.length), graph, sample.length - graph, percentile(exactNanos, 0.5),
        percentile(exactNanos, 0.99), percentile(servedNanos, 0.5), percentile(servedNanos, 0.99));
  }

  private static double percentile(long[] nanos, double q) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e3;
  }
}
