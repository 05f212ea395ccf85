package dev.recsys.spark;

import dev.recsys.models.console.Progress;
import dev.recsys.models.console.TextTable;
import dev.recsys.models.manifest.Json;
import dev.recsys.spark.ingest.SparkDataSet;
import dev.recsys.spark.job.SparkEvaluation;
import dev.recsys.spark.job.SparkJobConfig;
import dev.recsys.trainer.evaluation.Protocol;
import dev.recsys.trainer.rating.RatingPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code evaluate}: Spark's models beside the one-machine trainer's, same splits, same metrics, one
 * run. Each split's training part is shipped from the driver, so this is for data sets that fit
 * one machine (ml-100k to ml-1m shapes); at cluster scale, {@code train}'s held-out figures are
 * the measure.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate Spark's models beside the one-machine trainer's on the same splits (rating RMSE or top-N NDCG).")
final class EvaluateSparkCommand implements Callable<Integer> {

  @Mixin SparkOptions spark;

  @Option(names = "--task", defaultValue = "rating", description = "rating or ranking (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--protocol", description = "Splits, as the one-machine evaluate takes them (default: kfold:5 for rating, per-user:0.2 for ranking).")
  String protocol;

  @Option(names = "--k", defaultValue = "10", description = "List length of the top-N metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--repeats", defaultValue = "3", description = "Seeded repeats of the top-N split (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--report", description = "Write the report as JSON to this file.")
  Path report;

  @Override
  public Integer call() throws Exception {
    if (!task.equals("rating") && !task.equals("ranking")) {
      throw new IllegalArgumentException("--task must be rating or ranking, got '" + task + "'");
    }
    Protocol p = Protocol.parse(protocol != null ? protocol : task.equals("rating") ? "kfold:5" : "per-user:0.2");
    SparkJobConfig config = spark.config();
    try (SparkSession session = SparkSessions.open(spark.master, spark.partitions, spark.conf)) {
      SparkDataSet set = SparkDataSet.read(session, config.catalog(), config.ratings(), config.parquet(), config.partitions(),
          config.als().rank(), Runtime.getRuntime().maxMemory());
      RatingPipeline.Steps oneMachine = (step, total) -> Progress.start("one-machine: " + step, total, Progress.Unit.STEPS);
      ObjectNode result = task.equals("rating")
          ? SparkEvaluation.rating(session, set, p, spark.seed, config, oneMachine)
          : SparkEvaluation.ranking(session, set, p, k, spark.seed, repeats, config, oneMachine);
      String figures = task.equals("rating") ? "test_rmse" : "test_ndcg_at_" + k;
      TextTable t = new TextTable("model", figures.replace('_', ' ') + " (mean)", "std over splits");
      for (var e : result.get(figures).properties()) {
        JsonNode f = e.getValue();
        t.row(e.getKey(), String.format(Locale.ROOT, "%.4f", f.get("mean").asDouble()), String.format(Locale.ROOT, "%.4f", f.get("std").asDouble()));
      }
      System.out.printf(Locale.ROOT, "%s, %s, seed %d:%n", set.data().name(), p, spark.seed);
      System.out.print(t.render());
      if (report != null) {
        if (report.getParent() != null) {
          Files.createDirectories(report.getParent());
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(report.toFile(), result);
        System.out.println("report: " + report);
      }
    }
    return 0;
  }
}
