package dev.recsys.trainer.cli;

import dev.recsys.models.console.Durations;
import dev.recsys.models.console.TextTable;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.plots.HtmlReport;
import dev.recsys.trainer.data.DatasetLocator;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.publish.TrainedVersion;
import dev.recsys.trainer.publish.VersionPublisher;
import dev.recsys.trainer.ranking.DemographicColdStart;
import dev.recsys.trainer.ranking.RankingPipeline;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.report.SegmentReport;
import dev.recsys.trainer.report.TrainingPlots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code recsys-trainer train}: validate, select, fit on all data, publish one complete version.
 *
 * <p>One pass over the data: each pipeline carves its own validation part from the data (a seeded
 * share of ratings for the rating models, a per-user share for the top-N models), makes every
 * choice there, and refits the chosen models on all the data; that is what is published, with the
 * validation figures in its manifest. (An earlier version ran the rating pipeline twice, once on a
 * hold-out just to select; the pipeline's own validation part selects as well and costs nothing
 * extra, which halves the rating models' training time.)
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train every model, select the rating model by validation RMSE, and publish a version into the registry.")
public final class TrainCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", defaultValue = "ml-latest-small", description = "Data set name or folder/zip (default: ${DEFAULT-VALUE}).")
  String data;

  @Mixin RegistryOptions registry;

  @Mixin SigningOptions signing;

  @Mixin IndexOptions index;

  @Option(names = "--promote", description = "Point this alias (e.g. production) at the new version once published.")
  String promote;

  @Option(names = "--validation", defaultValue = "0.15",
      description = "Share of ratings the rating models hold out for early stopping, the forest's training and selection (default: ${DEFAULT-VALUE}).")
  double validation;

  @Option(names = "--out", description = "Folder for the training report (HTML and plots).")
  Path out;

  @Mixin FitOptions fit;

  @Option(names = "--timings", description = "Write the wall time of every stage, the data's size, the heap limit and the quality figures as JSON (the scale benchmark reads it).")
  Path timings;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    // Read and check first: a bad key file, name or setting should stop the command before minutes of training.
    PublicationChecks publication = PublicationChecks.before(signing, index, registry.name, promote);
    if (!(validation > 0 && validation < 0.5)) {
      throw new IllegalArgumentException("--validation must be in (0, 0.5), got " + validation);
    }
    RatingPipeline.Config config = fit.ratingConfig().withBlendShare(validation);
    RankingPipeline.Config rankingConfig = fit.rankingConfig();
    Path path = DatasetLocator.fromEnvironment().locate(data);
    Map<String, Double> stages = new LinkedHashMap<>();
    long loadStart = System.nanoTime();
    MovieLensData d = MovieLensLoader.withConsoleReport().load(path);
    stages.put("load", (System.nanoTime() - loadStart) / 1e9);
    System.err.printf(Locale.ROOT, "%s: %,d ratings, %,d users, %,d movies%n", d.name(), d.ratings().size(), d.userIds().length, d.catalog().size());
    dev.recsys.trainer.data.HeapBudget.require(d.ratings().size(), d.userIds().length, d.catalog().size(),
        Math.max(config.mf().dim(), rankingConfig.bpr().dim()), Runtime.getRuntime().maxMemory());

    // The rating models: validation figures from the pipeline's held-out part (out-of-bag rows for
    // the forest), training figures on a sample of the training set (the forest is slow to score).
    RatingPipeline.Fitted fitted =
        RatingPipeline.fit(d.catalog(), d.userIds(), d.ratings(), d.scale(), config, new ConsoleSteps("rating models", stages));
    RatingsTable trainSample = Splits.sample(d.ratings(), TRAIN_FIGURE_ROWS, fit.seed + 100);
    Map<String, RatingMetrics[]> scores = new LinkedHashMap<>();
    fitted.predictors().forEach((name, p) -> scores.put(name, new RatingMetrics[] {
        fitted.validation().get(name), RatingMetrics.of(trainSample, p)}));
    String selected = scores.entrySet().stream()
        .min(Map.Entry.comparingByValue(java.util.Comparator.comparingDouble((RatingMetrics[] m) -> m[0].rmse())))
        .orElseThrow().getKey();

    // The top-N pipeline carves its own validation split from the data it is given and makes every
    // choice there, so one fit on all the data both selects and produces the published models.
    RankingPipeline.Fitted ranking = RankingPipeline.fit(d.catalog(), d.ratings(), rankingConfig, new ConsoleSteps("top-N models", stages));
    String selectedRanking = ranking.selected();
    DemographicColdStart.Result demographic = d.demographics()
        .map(people -> DemographicColdStart.fit(d.catalog(), d.ratings(), people, fit.seed + 300))
        .orElse(null);

    ObjectNode metrics = metrics(scores, selected, "blend:" + validation, fitted);
    rankingMetrics(metrics, "per-user:" + rankingConfig.innerShare(), ranking);
    if (demographic != null) {
      demographicMetrics(metrics, demographic);
    }
    ObjectNode hyper = Json.object();
    hyper.set("rating", Json.MAPPER.valueToTree(config));
    hyper.set("ranking", Json.MAPPER.valueToTree(rankingConfig));
    double seconds = (System.nanoTime() - start) / 1e9;
    TrainedVersion trained =
        new TrainedVersion(d, fitted, selected, ranking, selectedRanking, metrics, hyper, fit.seed, seconds,
            String.join(" ", spec.commandLine().getParseResult().originalArgs()), config.mf().l2(), demographic);
    long publishStart = System.nanoTime();
    VersionPublisher.Outcome outcome =
        VersionPublisher.publish(registry.open(), registry.name, trained, Optional.ofNullable(promote), RegistryOptions.actor(),
            publication.signer(), publication.annMinMovies());
    stages.put("publish", (System.nanoTime() - publishStart) / 1e9);

    System.out.println();
    System.out.printf(Locale.ROOT, "validation (%s of %s held out; the forest out-of-bag), seed %d:%n", validation, d.name(), fit.seed);
    TextTable t = new TextTable("model", "val RMSE", "val MAE", "val R²", "train RMSE");
    scores.forEach((name, m) -> t.row(name + (name.equals(selected) ? " *" : ""), f(m[0].rmse()), f(m[0].mae()), f(m[0].r2()), f(m[1].rmse())));
    System.out.print(t.render());
    System.out.printf(Locale.ROOT, "selected rating model: %s; user segments by %s%n", selected, fitted.segments().chosen());
    System.out.printf(Locale.ROOT, "top-N validation (per-user:%s of the data held out), NDCG@10:%n", rankingConfig.innerShare());
    TextTable rt = new TextTable("model", "val NDCG@10");
    ranking.validationNdcg().forEach((name, v) -> rt.row(name + (name.equals(selectedRanking) ? " *" : ""), f(v)));
    System.out.print(rt.render());
    ranking.skipped().forEach((model, why) -> System.out.println("skipped " + model + ": " + why));
    System.out.printf(Locale.ROOT, "selected top-N model: %s; similar movies by %s%n", selectedRanking, ranking.similarity());
    if (demographic != null) {
      System.out.println(demographicLine(demographic));
    }
    System.out.printf(Locale.ROOT, "published %s version %d to %s%s in %s%n", registry.name, outcome.manifest().version(),
        registry.open().root(), outcome.promotion().map(e -> " and promoted it to " + e.alias()).orElse(""),
        Durations.format((System.nanoTime() - start) / 1e9));
    if (timings != null) {
      writeTimings(timings, path, d, stages, (System.nanoTime() - start) / 1e9, scores, selected, ranking, fitted);
    }
    if (out != null) {
      writeReport(out, d, scores, selected, fitted, ranking, outcome);
      System.out.println("report: " + out.resolve("train-report.html"));
    }
    return 0;
  }

  /**
   * Rows of the training set the published models' training figures are computed on: a diagnostic
   * (how far training error sits below validation error) that no choice reads. 30,000 rows give a
   * training RMSE to about ±0.006 (95%, at an RMSE near 0.8); scoring the forest on 100,000 cost
   * about two seconds more at the ml-1m shape.
   */
  static final int TRAIN_FIGURE_ROWS = 30_000;

  static ObjectNode metrics(Map<String, RatingMetrics[]> scores, String selected, String protocol, RatingPipeline.Fitted fitted) {
    ObjectNode metrics = Json.object();
    ObjectNode headline = metrics.putObject("headline");
    headline.put("rating_rmse", scores.get(selected)[0].rmse());
    ObjectNode rating = metrics.putObject("rating");
    rating.put("protocol", protocol);
    rating.put("selected", selected);
    ObjectNode models = rating.putObject("models");
    scores.forEach((name, m) -> {
      ObjectNode o = models.putObject(name);
      o.put("rmse", m[0].rmse());
      o.put("mae", m[0].mae());
      o.put("r2", m[0].r2());
      o.put("train_rmse", m[1].rmse());
      o.put("train_mae", m[1].mae());
      o.put("train_r2", m[1].r2());
    });
    ObjectNode segments = metrics.putObject("segments");
    segments.put("representation", fitted.segments().chosen());
    segments.put("user_segments", fitted.segments().segmentation().users().k());
    segments.put("movie_clusters", fitted.segments().segmentation().movies().k());
    ObjectNode rep = segments.putObject("representation_validation_rmse");
    fitted.segments().validationRmse().forEach(rep::put);
    ObjectNode picks = segments.putObject("representation_validation_log_likelihood");
    fitted.segments().validationLogLikelihood().forEach(picks::put);
    ObjectNode knees = segments.putObject("elbow_knee");
    fitted.segments().elbows().forEach((k, v) -> knees.put(k, v.knee()));
    ObjectNode mf = metrics.putObject("mf_training");
    mf.put("best_epoch", fitted.mf().bestEpoch());
    mf.put("blend_rmse", fitted.mf().validationRmse());
    mf.put("solver", fitted.mf().solver());
    ObjectNode solvers = mf.putObject("solver_validation_rmse");
    fitted.mf().solverValidationRmse().forEach(solvers::put);
    ObjectNode importance = metrics.putObject("forest_importance");
    fitted.forest().importances().forEach(importance::put);
    if (!fitted.forestCurve().isEmpty()) {
      // The trees grown (the settings say 0 when the count followed the forest's rows).
      metrics.put("forest_trees", fitted.forestCurve().getLast().epoch());
      ObjectNode curve = metrics.putObject("forest_oob_rmse_by_trees");
      fitted.forestCurve().forEach(e -> curve.put(Integer.toString(e.epoch()), e.validationMetric()));
    }
    return metrics;
  }

  /** The manifest's record of the demographic cold start: what was chosen, on what, and whether it was kept. */
  static void demographicMetrics(ObjectNode metrics, DemographicColdStart.Result d) {
    ObjectNode node = metrics.putObject("cold_start_demographic");
    node.put("kept", d.kept());
    node.put("selected_on", "validation");
    node.put("validation_users", d.validationUsers());
    if (d.reason() != null) {
      node.put("reason", d.reason());
    }
    if (d.difference() != null) {
      node.put("prior", d.prior());
      node.put("validation_ndcg_at_10", d.validationNdcg());
      node.put("popularity_validation_ndcg_at_10", d.popularityNdcg());
      node.put("difference", d.difference().mean());
      node.put("difference_low", d.difference().low());
      node.put("difference_high", d.difference().high());
      ObjectNode tried = node.putObject("validation_ndcg_by_prior");
      d.tried().forEach((prior, ndcg) -> tried.put(String.valueOf(prior), ndcg));
    }
  }

  /** One console line on the demographic cold start. */
  static String demographicLine(DemographicColdStart.Result d) {
    if (d.difference() == null) {
      return "new users by age and gender: not kept (" + d.reason() + ")";
    }
    return String.format(Locale.ROOT, "new users by age and gender: validation NDCG@10 %.4f against popularity %.4f (%+.4f [%+.4f, %+.4f], %d users, prior %.0f): %s",
        d.validationNdcg(), d.popularityNdcg(), d.difference().mean(), d.difference().low(), d.difference().high(), d.validationUsers(), d.prior(),
        d.kept() ? "kept" : "not kept");
  }

  static void rankingMetrics(ObjectNode metrics, String protocol, RankingPipeline.Fitted ranking) {
    metrics.withObject("headline").put("ranking_ndcg_at_10", ranking.validationNdcg().get(ranking.selected()));
    ObjectNode r = metrics.putObject("ranking");
    r.put("protocol", protocol);
    r.put("selected_on", "validation");
    r.put("k", 10);
    r.put("selected", ranking.selected());
    r.put("embedding_model", ranking.rankingEmbedding());
    r.set("validation_ndcg", Json.MAPPER.valueToTree(ranking.validationNdcg()));
    r.set("tuning", Json.MAPPER.valueToTree(ranking.tuning()));
    r.set("skipped", Json.MAPPER.valueToTree(ranking.skipped()));
    r.set("chosen", Json.MAPPER.valueToTree(ranking.chosen()));
    r.put("similarity", ranking.similarity());
    ObjectNode sims = r.putObject("similarity_ndcg");
    ranking.similarityNdcg().forEach(sims::put);
    r.set("similarity_judge", Json.MAPPER.valueToTree(ranking.similarityJudge()));
    if (!Double.isNaN(ranking.blendWeight())) {
      r.put("blend_ease_weight", ranking.blendWeight());
    }
    ObjectNode fold = r.putObject("fold_in_ndcg");
    ranking.foldInNdcg().forEach(fold::put);
    r.put("best_epoch", ranking.bestEpoch());
  }

  private static void writeReport(Path out, MovieLensData d, Map<String, RatingMetrics[]> scores, String selected,
      RatingPipeline.Fitted fitted, RankingPipeline.Fitted ranking, VersionPublisher.Outcome outcome) throws IOException {
    HtmlReport html = new HtmlReport("Training report: " + outcome.manifest().modelName() + " version " + outcome.manifest().version());
    html.paragraph(String.format(Locale.ROOT, "Data set %s: %,d ratings, %,d users, %,d movies. Selected rating model: %s.",
        d.name(), d.ratings().size(), d.userIds().length, d.catalog().size(), selected));
    html.heading("Validation");
    List<List<String>> rows = new ArrayList<>();
    scores.forEach((name, m) -> rows.add(List.of(name, f(m[0].rmse()), f(m[0].mae()), f(m[0].r2()), f(m[1].rmse()))));
    html.table(List.of("model", "val RMSE", "val MAE", "val R²", "train RMSE"), rows);
    html.heading("Ranking model training curve");
    html.image(TrainingPlots.curve(ranking.curve(), "Embedding ranking model (" + ranking.rankingEmbedding() + ")", "validation -NDCG@10", false, out,
        "ranking-training-curve"), "ranking curve");
    html.heading("Matrix factorisation training curve");
    html.image(TrainingPlots.curve(fitted.mf().curve(), "Matrix factorisation (final fit)", "blend-set RMSE", true, out, "mf-training-curve"), "training curve");
    if (!fitted.forestCurve().isEmpty()) {
      html.heading("Random Forest: out-of-bag RMSE by trees");
      html.image(TrainingPlots.curve(fitted.forestCurve(), "Random Forest: its first n trees", "trees", "out-of-bag RMSE", true, out,
          "forest-oob-curve"), "forest out-of-bag curve");
    }
    html.heading("User segments");
    html.paragraph("Users are clustered by " + fitted.segments().chosen() + " (best held-out log-likelihood of the movies a segment's members "
        + "rate: " + fitted.segments().validationLogLikelihood() + "); segment-by-genre validation RMSE per representation: "
        + fitted.segments().validationRmse());
    if (!fitted.segments().elbows().isEmpty()) {
      html.image(TrainingPlots.elbows(fitted.segments().elbows(), out), "elbow");
    }
    SegmentReport.write(html, d, fitted.assignments().userSegments(), fitted.segments().segmentation().profiles(),
        fitted.profiles().userAffinities(), out);
    html.heading("Random Forest feature importance");
    html.image(TrainingPlots.importances(fitted.forest().importances(), out), "importance");
    html.write(out.resolve("train-report.html"));
  }

  /**
   * The scale benchmark's record of one run: sizes, stage times, the heap limit, and quality beside
   * them; on synthetic data also how far the rating RMSE is from the generator's noise floor and how
   * well the published segments recover the planted ones.
   */
  private static void writeTimings(Path file, Path dataPath, MovieLensData d, Map<String, Double> stages, double total,
      Map<String, RatingMetrics[]> scores, String selected, RankingPipeline.Fitted ranking, RatingPipeline.Fitted fitted) throws IOException {
    ObjectNode root = Json.object();
    root.put("dataset", d.name());
    root.put("ratings", d.ratings().size());
    root.put("users", d.userIds().length);
    root.put("movies", d.catalog().size());
    root.put("seconds", total);
    root.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
    root.put("processors", Runtime.getRuntime().availableProcessors());
    root.put("als_kernels", dev.recsys.trainer.als.RowSolves.vectorised() ? "vector" : "scalar");
    ObjectNode st = root.putObject("stages");
    stages.forEach(st::put);
    ObjectNode q = root.putObject("quality");
    q.put("rating_selected", selected);
    q.put("rating_validation_rmse", scores.get(selected)[0].rmse());
    q.put("ranking_selected", ranking.selected());
    q.put("ranking_validation_ndcg_at_10", ranking.validationNdcg().get(ranking.selected()));
    ranking.validationNdcg().forEach((name, v) -> q.withObject("ranking_validation_ndcg").put(name, v));
    Path dir = java.nio.file.Files.isDirectory(dataPath) ? dataPath : null;
    if (dir != null && java.nio.file.Files.exists(dir.resolve(dev.recsys.trainer.data.SyntheticMovieLens.PLANTED_CSV))) {
      int[] planted = dev.recsys.trainer.data.SyntheticMovieLens.readPlanted(dir, d.userIds());
      q.put("planted_segments_ari", dev.recsys.trainer.evaluation.AdjustedRandIndex.of(fitted.assignments().userSegments(), planted));
      tools.jackson.databind.JsonNode generator = Json.MAPPER.readTree(dir.resolve(dev.recsys.trainer.data.SyntheticMovieLens.PLANTED_JSON).toFile());
      q.put("noise_floor_rmse", generator.path("measured").path("noise_rmse_after_rounding").asDouble(Double.NaN));
    }
    java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
