package dev.recsys.trainer.cli;

import dev.recsys.models.console.TextTable;
import dev.recsys.models.manifest.Json;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.DatasetLocator;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.evaluation.Protocol;
import dev.recsys.trainer.evaluation.RankingEvaluation;
import dev.recsys.trainer.evaluation.RatingEvaluation;
import dev.recsys.trainer.ranking.RankingPipeline;
import dev.recsys.trainer.report.TrainingPlots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys-trainer evaluate}: honest held-out figures of every model, and the selection. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate every model on held-out data (k-fold, hold-out or the data set's split files) and select the best.")
public final class EvaluateCommand implements Callable<Integer> {

  @Option(names = "--data", required = true, description = "Data set name or folder/zip.")
  String data;

  @Option(names = "--task", defaultValue = "rating", description = "rating (RMSE, MAE, R²), ranking (top-k), cold-start (new users from a few ratings) or segments (recovery of planted "
          + "segments, data from 'data synth') (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--protocol", defaultValue = "kfold:5",
      description = "kfold:<k> | holdout:<share> | split:<base-file>,<test-file> | per-user:<share> | last:<n> (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--k", defaultValue = "10", description = "List length of the ranking metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--repeats", defaultValue = "1",
      description = "Ranking: repeat the whole protocol on splits drawn with this many seeds and report mean ± std (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--report", description = "Write the report as JSON to this file (plots go beside it).")
  Path report;

  @Mixin FitOptions fit;

  @Override
  public Integer call() throws IOException {
    if (repeats != 1 && !task.equals("ranking")) {
      throw new IllegalArgumentException("--repeats applies to --task ranking only, got --repeats " + repeats + " with --task " + task);
    }
    if (task.equals("ranking")) {
      return ranking();
    }
    if (task.equals("segments")) {
      return segments();
    }
    if (task.equals("cold-start")) {
      return coldStart();
    }
    if (!task.equals("rating")) {
      throw new IllegalArgumentException("unknown --task '" + task + "': use rating, ranking, segments or cold-start");
    }
    Protocol parsed = Protocol.parse(protocol);
    if (parsed instanceof Protocol.PerUser || parsed instanceof Protocol.Last) {
      throw new IllegalArgumentException(parsed + " is a ranking protocol; rating evaluation takes kfold, holdout or split");
    }
    Path path = DatasetLocator.fromEnvironment().locate(data);
    MovieLensLoader loader = MovieLensLoader.withConsoleReport();
    MovieLensData d = loader.load(path);
    DataQuality splitQuality = new DataQuality();
    Path plots = report == null ? null : report.toAbsolutePath().getParent();
    int[] foldCount = {0};
    RatingEvaluation.Report r =
        RatingEvaluation.run(
            d, parsed, fit.seed, fit.ratingConfig(), d.scale(),
            file -> loader.rowsOf(path, file, d, splitQuality),
            (step, total) -> new ConsoleSteps("fold " + (foldCount[0] + 1)).start(step, total),
            (fold, fitted) -> {
              foldCount[0]++;
              if (plots != null && fold.index() == 0) {
                try {
                  TrainingPlots.curve(fitted.mf().curve(), "Matrix factorisation, fold 1", "validation RMSE", true, plots, "mf-training-curve");
                  if (!fitted.segments().elbows().isEmpty()) {
                    TrainingPlots.elbows(fitted.segments().elbows(), plots);
                  }
                  TrainingPlots.importances(fitted.forest().importances(), plots);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            });
    if (!splitQuality.entries().isEmpty()) {
      // Rows of the split's own files (e.g. u1.test) that were dropped or not found in the main file.
      System.err.print("split files: " + splitQuality.table());
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "rating evaluation of %s, protocol %s, seed %d (held-out figures; training figures beside them)%n", d.name(), r.protocol(), r.seed());
    System.out.print(table(r).render());
    System.out.println("selected on validation: " + r.selected() + " (lowest mean validation RMSE inside the folds' training parts: "
        + r.validationRmse().entrySet().stream().map(e -> e.getKey() + " " + f(e.getValue())).collect(java.util.stream.Collectors.joining(", "))
        + "); held-out figures never fed the choice");
    System.out.println("factorisation solver kept per fold (lowest validation RMSE): " + r.mfSolvers().stream()
        .map(c -> c.kept() + " (" + c.validationRmse().entrySet().stream().map(e -> e.getKey() + " " + f(e.getValue()))
            .collect(java.util.stream.Collectors.joining(", ")) + ")")
        .collect(java.util.stream.Collectors.joining("; ")));
    if (report != null) {
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.write(report, Json.MAPPER.writeValueAsBytes(r));
      System.out.println("report: " + report + (plots == null ? "" : " (plots in " + plots + ")"));
    }
    return 0;
  }

  private int ranking() throws IOException {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("--k must be in [1, 1000], got " + k);
    }
    Protocol parsed = Protocol.parse(protocol.equals("kfold:5") ? "per-user:0.25" : protocol);
    RankingPipeline.Config config = fit.rankingConfig();
    MovieLensData d = MovieLensLoader.withConsoleReport().load(DatasetLocator.fromEnvironment().locate(data));
    fit.requireParamsNotTunedOn(d);
    RankingEvaluation.Report r =
        RankingEvaluation.run(d, parsed, k, fit.seed, repeats, config, fit.ratingConfig().mf(), new ConsoleSteps(""));
    System.out.println();
    for (RankingEvaluation.Repeat run : r.repeats()) {
      System.out.printf(Locale.ROOT, "ranking evaluation of %s, protocol %s, k=%d, seed %d: every choice made on a validation split of the "
          + "training part; test figures computed once (every unrated movie ranked; held-out movies relevant)%n", d.name(), r.protocol(), k, run.seed());
      System.out.print(RankingTables.test(run, k).render());
      System.out.println("selected on validation: " + run.selected() + "; 'vs selected' and 'vs EASE' are paired bootstrap 95% intervals of the "
          + "NDCG difference over users (tie: the interval holds 0); fold_in (new users from their ratings) is reported, not selected");
      System.out.print(RankingTables.similarities(run).render());
      var j = run.similarJudgement();
      System.out.printf(Locale.ROOT, "similar movies by %s; its table on the whole training part: franchise hit rate@10 %.3f (recall %.3f) over "
              + "%d franchise movies in %d groups, genre coherence %.3f, popularity bias %+.2f (median %+.2f)%n", run.similarity(),
          j.franchiseHitRate(), j.franchiseRecall(), j.franchiseMovies(), j.franchiseGroups(), j.genreCoherence(), j.popularityBiasMean(),
          j.popularityBiasMedian());
      run.skipped().forEach((model, why) -> System.out.println("skipped " + model + ": " + why));
    }
    if (r.repeats().size() > 1) {
      System.out.printf(Locale.ROOT, "over %d repeats (splits drawn with seeds %d, %d, ...):%n", r.repeats().size(), fit.seed, fit.seed + 1000);
      System.out.print(RankingTables.summary(r, k).render());
    }
    if (report != null) {
      Path dir = report.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Files.write(report, Json.MAPPER.writeValueAsBytes(r));
      String stem = report.getFileName().toString().replaceFirst("\\.json$", "");
      Path png = RankingTables.plot(r, k, d.name(), dir, stem + "-metrics");
      System.out.println("report: " + report + " (plot: " + png + ")");
    }
    return 0;
  }

  @Option(names = "--new-users", defaultValue = "0.1",
      description = "cold-start: share of users held out entirely and folded in from a few ratings (default: ${DEFAULT-VALUE}).")
  double newUsers;

  @Option(names = "--profile", defaultValue = "3-5",
      description = "cold-start: how many ratings a new user gives, min-max (default: ${DEFAULT-VALUE}).")
  String profile;

  private int coldStart() throws IOException {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("--k must be in [1, 1000], got " + k);
    }
    if (!(newUsers > 0 && newUsers < 0.5)) {
      throw new IllegalArgumentException("--new-users must be in (0, 0.5), got " + newUsers);
    }
    java.util.regex.Matcher range = java.util.regex.Pattern.compile("\\s*(\\d{1,2})\\s*(?:-\\s*(\\d{1,2})\\s*)?").matcher(profile);
    if (!range.matches()) {
      throw new IllegalArgumentException("--profile takes min-max or one number, e.g. 3-5, got '" + profile + "'");
    }
    int min = Integer.parseInt(range.group(1));
    var sizes = new dev.recsys.trainer.evaluation.FewRatings.Sizes(min, range.group(2) == null ? min : Integer.parseInt(range.group(2)));
    RankingPipeline.Config config = fit.rankingConfig();
    MovieLensData d = MovieLensLoader.withConsoleReport().load(DatasetLocator.fromEnvironment().locate(data));
    fit.requireParamsNotTunedOn(d);
    var r = dev.recsys.trainer.evaluation.ColdStartEvaluation.run(d, newUsers, sizes, k, fit.seed, config, new ConsoleSteps(""));
    System.out.printf(Locale.ROOT, "%nnew users on %s: %.0f%% of users held out entirely (%d evaluated), each folded in from %d-%d of their "
            + "ratings, the rest relevant; k=%d; selected model %s, content blend %.2f per rating (year share %.2f) chosen on validation%n",
        d.name(), 100 * newUsers, r.heldOutUsers(), sizes.min(), sizes.max(), k, r.selected(), r.contentWeight(), r.contentYearShare());
    TextTable t = new TextTable("model", "NDCG@" + k, "95% interval", "vs served", "P@k", "HR@k", "genre coherence", "coverage");
    r.models().forEach((name, c) -> t.row(name + (name.equals(r.served()) ? " (served)" : ""), f(c.metrics().ndcg()),
        String.format(Locale.ROOT, "[%.4f, %.4f]", c.ndcgInterval().low(), c.ndcgInterval().high()),
        name.equals(r.served()) ? "-" : String.format(Locale.ROOT, "%+.4f %s", c.versusServed().mean(), c.versusServed().verdict()),
        f(c.metrics().precision()), f(c.metrics().hitRate()), f(c.genreCoherence()), f(c.metrics().coverage())));
    System.out.print(t.render());
    System.out.println("content blend on validation (few-ratings NDCG@10; the most content within 1% of the best is chosen): "
        + r.contentValidation().entrySet().stream().map(e -> e.getKey() + " " + f(e.getValue())).collect(java.util.stream.Collectors.joining("; ")));
    if (r.noRatings() != null) {
      var z = r.noRatings();
      System.out.printf(Locale.ROOT, "%nnew users who rated nothing but gave age and gender (%d held-out users; all their ratings relevant; "
          + "prior %.0f chosen on validation users, %s there):%n", z.users(), z.prior(), z.keptOnValidation() ? "kept" : "not kept");
      TextTable n = new TextTable("model", "NDCG@" + k, "95% interval", "vs popularity", "P@k", "HR@k", "coverage");
      n.row("popularity", f(z.popularity().ndcg()), String.format(Locale.ROOT, "[%.4f, %.4f]", z.popularityInterval().low(), z.popularityInterval().high()),
          "-", f(z.popularity().precision()), f(z.popularity().hitRate()), f(z.popularity().coverage()));
      n.row("age x gender popularity", f(z.demographic().ndcg()),
          String.format(Locale.ROOT, "[%.4f, %.4f]", z.demographicInterval().low(), z.demographicInterval().high()),
          String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f] %s", z.versusPopularity().mean(), z.versusPopularity().low(), z.versusPopularity().high(),
              z.versusPopularity().verdict()),
          f(z.demographic().precision()), f(z.demographic().hitRate()), f(z.demographic().coverage()));
      System.out.print(n.render());
    }
    if (report != null) {
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.write(report, Json.MAPPER.writeValueAsBytes(r));
      System.out.println("report: " + report);
    }
    return 0;
  }

  private int segments() throws IOException {
    Path path = DatasetLocator.fromEnvironment().locate(data);
    MovieLensData d = MovieLensLoader.withConsoleReport().load(path);
    int[] planted = dev.recsys.trainer.data.SyntheticMovieLens.readPlanted(path, d.userIds());
    dev.recsys.trainer.evaluation.SegmentEvaluation.Report r =
        dev.recsys.trainer.evaluation.SegmentEvaluation.run(d, planted, fit.ratingConfig(), fit.seed, new ConsoleSteps(""));
    System.out.printf(Locale.ROOT, "%nsegment recovery on %s: %d planted segments, adjusted Rand index against the truth (1 = exact, 0 = chance)%n",
        d.name(), r.segments());
    TextTable t = new TextTable("method", "ARI", "seconds");
    r.ari().forEach((name, ari) -> t.row(name, f(ari), String.format(Locale.ROOT, "%.1f", r.seconds().get(name))));
    System.out.print(t.render());
    System.out.println("published segments cluster users by " + r.representation());
    if (report != null) {
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.write(report, Json.MAPPER.writeValueAsBytes(r));
      System.out.println("report: " + report);
    }
    return 0;
  }

  static TextTable table(RatingEvaluation.Report r) {
    TextTable t = new TextTable("model", "RMSE", "± std", "MAE", "R²", "train RMSE", "train MAE", "train R²");
    r.models().forEach((name, s) -> t.row(name + (name.equals(r.selected()) ? " *" : ""),
        f(s.rmse()), f(s.rmseStd()), f(s.mae()), f(s.r2()), f(s.trainRmse()), f(s.trainMae()), f(s.trainR2())));
    return t;
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
