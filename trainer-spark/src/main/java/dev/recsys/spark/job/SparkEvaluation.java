package dev.recsys.spark.job;

import dev.recsys.models.manifest.Json;
import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.spark.ingest.SparkDataSet;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.evaluation.Bootstrap;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.Protocol;
import dev.recsys.trainer.evaluation.RankingEvaluation;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.RankingMetrics;
import dev.recsys.trainer.evaluation.RatingEvaluation;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.publish.TrainedVersion;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spark's models and the one-machine trainer's, evaluated in one run on the same splits with the
 * same metrics. Each fold (or repeat) runs the whole {@link SparkTrainingJob} on the fold's
 * training part, which makes its own choices on a share held out of that part, exactly as the
 * one-machine pipeline does; the test part is scored once. The one-machine figures come from
 * {@link RatingEvaluation} and {@link RankingEvaluation}, whose splits are the same for the same
 * protocol and seed.
 */
public final class SparkEvaluation {

  /** Prefix of Spark's models in the reports. */
  public static final String SPARK = "spark_";

  /** Mean and spread of one model's held-out figure. */
  public record Figure(double mean, double std, List<Double> perSplit) {
    static Figure of(List<Double> values) {
      double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double var = values.size() < 2 ? 0 : values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1);
      return new Figure(mean, Math.sqrt(var), List.copyOf(values));
    }
  }

  private SparkEvaluation() {}

  /**
   * Held-out RMSE of every rating model, one-machine and Spark, over the protocol's folds.
   *
   * @return models by name (Spark's prefixed {@value #SPARK}) and, under "selected", each side's choice per fold
   */
  public static ObjectNode rating(SparkSession spark, SparkDataSet set, Protocol protocol, long seed, SparkJobConfig config,
      RatingPipeline.Steps steps) throws IOException {
    MovieLensData data = set.data();
    RatingEvaluation.Report local = RatingEvaluation.run(data, protocol, seed, RatingPipeline.Config.defaults(seed), data.scale(), null, steps,
        (fold, fitted) -> {});
    Map<String, List<Double>> rmse = new LinkedHashMap<>();
    local.models().forEach((name, s) -> s.folds().forEach(f -> rmse.computeIfAbsent(name, k -> new ArrayList<>()).add(f.test().rmse())));
    List<String> sparkSelected = new ArrayList<>();
    for (Fold fold : Splits.folds(protocol, data.ratings(), seed, null)) {
      TrainedVersion trained = trainOn(spark, set, fold, config);
      for (Map.Entry<String, RatingPredictor> e : trained.rating().predictors().entrySet()) {
        rmse.computeIfAbsent(SPARK + e.getKey(), k -> new ArrayList<>()).add(RatingMetrics.of(fold.test(), e.getValue()).rmse());
      }
      sparkSelected.add(SPARK + trained.selectedRatingModel());
    }
    ObjectNode report = header("rating", protocol, seed, data, config);
    ObjectNode models = report.putObject("test_rmse");
    rmse.forEach((name, values) -> models.set(name, Json.MAPPER.valueToTree(Figure.of(values))));
    report.put("one_machine_selected", local.selected());
    report.set("spark_selected_per_fold", Json.MAPPER.valueToTree(sparkSelected));
    return report;
  }

  /**
   * Held-out top-N figures: the one-machine candidates (popularity, item neighbours, BPR, implicit
   * ALS, EASE, ...) and Spark's implicit ALS, over the protocol's repeats.
   */
  public static ObjectNode ranking(SparkSession spark, SparkDataSet set, Protocol protocol, int k, long seed, int repeats,
      SparkJobConfig config, RatingPipeline.Steps steps) throws IOException {
    MovieLensData data = set.data();
    RankingEvaluation.Report local = RankingEvaluation.run(data, protocol, k, seed, repeats, RankingPipeline.Config.defaults(seed),
        MfConfig.defaults(seed), steps);
    Map<String, List<Double>> ndcg = new LinkedHashMap<>();
    Map<String, List<Bootstrap.Interval>> intervals = new LinkedHashMap<>();
    for (RankingEvaluation.Repeat r : local.repeats()) {
      r.models().forEach((name, c) -> {
        ndcg.computeIfAbsent(name, x -> new ArrayList<>()).add(c.metrics().ndcg());
        intervals.computeIfAbsent(name, x -> new ArrayList<>()).add(c.ndcgInterval());
      });
    }
    List<RankingMetrics> sparkMetrics = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      // The split RankingEvaluation made for this repeat: the same protocol, data and seed.
      long s = seed + 1000L * r;
      Fold fold = Splits.folds(protocol, data.ratings(), s, null).getFirst();
      TrainedVersion trained = trainOn(spark, set, fold, config);
      var model = trained.ranking().ranking();
      RankingEvaluator.Detailed d = new RankingEvaluator(fold.train(), fold.test(), data.catalog(), k)
          .evaluateDetailed(new EmbeddingRanker(DotScorer.of(model)), dev.recsys.trainer.ranking.Tuning.learned(model), null);
      String name = SPARK + RankingPipeline.IALS;
      ndcg.computeIfAbsent(name, x -> new ArrayList<>()).add(d.metrics().ndcg());
      intervals.computeIfAbsent(name, x -> new ArrayList<>()).add(Bootstrap.mean(d.ndcg(), s));
      sparkMetrics.add(d.metrics());
    }
    ObjectNode report = header("ranking", protocol, seed, data, config);
    report.put("k", k);
    report.put("repeats", repeats);
    ObjectNode models = report.putObject("test_ndcg_at_" + k);
    ndcg.forEach((name, values) -> {
      ObjectNode m = models.putObject(name);
      m.setAll((ObjectNode) Json.MAPPER.valueToTree(Figure.of(values)));
      m.set("bootstrap_95_per_repeat", Json.MAPPER.valueToTree(intervals.get(name)));
    });
    report.set("spark_ials_metrics_per_repeat", Json.MAPPER.valueToTree(sparkMetrics));
    report.set("one_machine_selected_per_repeat", Json.MAPPER.valueToTree(local.repeats().stream().map(RankingEvaluation.Repeat::selected).toList()));
    return report;
  }

  /** The whole Spark job on the fold's training part only (shipped from the driver, released after). */
  private static TrainedVersion trainOn(SparkSession spark, SparkDataSet set, Fold fold, SparkJobConfig config) {
    SparkDataSet onFold = set.restrictedTo(JavaSparkContext.fromSparkContext(spark.sparkContext()), fold.train(), config.partitions());
    try {
      return SparkTrainingJob.train(spark, onFold, config, "evaluate");
    } finally {
      onFold.ratings().unpersist(false);
    }
  }

  private static ObjectNode header(String task, Protocol protocol, long seed, MovieLensData data, SparkJobConfig config) {
    ObjectNode report = Json.object();
    report.put("task", task);
    report.put("protocol", protocol.toString());
    report.put("seed", seed);
    report.put("dataset", data.name());
    report.put("ratings", data.ratings().size());
    report.set("spark_settings", Json.MAPPER.valueToTree(config.als()));
    report.set("spark_explicit_regs", Json.MAPPER.valueToTree(config.explicitRegs()));
    report.set("spark_implicit_alphas", Json.MAPPER.valueToTree(config.implicitAlphas()));
    return report;
  }
}
