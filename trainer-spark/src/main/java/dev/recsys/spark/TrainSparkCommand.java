package dev.recsys.spark;

import dev.recsys.models.console.Durations;
import dev.recsys.models.console.TextTable;
import dev.recsys.spark.ingest.SparkDataSet;
import dev.recsys.spark.job.SparkJobConfig;
import dev.recsys.spark.job.SparkTrainingJob;
import dev.recsys.trainer.cli.RegistryOptions;
import dev.recsys.trainer.publish.TrainedVersion;
import dev.recsys.trainer.publish.VersionPublisher;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: reads and cleans on the cluster, fits there, assembles and self-checks on the
 * driver, publishes atomically into the registry. A failure anywhere publishes nothing (the staged
 * folder is removed) and exits non-zero with the cause.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train every model on Spark and publish a version the server loads as it loads the one-machine trainer's.")
final class TrainSparkCommand implements Callable<Integer> {

  @Mixin SparkOptions spark;
  @Mixin RegistryOptions registry;

  @Mixin dev.recsys.trainer.cli.SigningOptions signing;

  @Mixin dev.recsys.trainer.cli.IndexOptions index;

  @Option(names = "--promote", description = "Point this alias (e.g. production) at the new version once published.")
  String promote;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    // Checked before Spark starts: a bad key file, name or setting should not cost a training run.
    var publication = dev.recsys.trainer.cli.PublicationChecks.before(signing, index, registry.name(), promote);
    SparkJobConfig config = spark.config();
    try (SparkSession session = SparkSessions.open(spark.master, spark.partitions, spark.conf)) {
      SparkDataSet set = SparkDataSet.read(session, config.catalog(), config.ratings(), config.parquet(), config.partitions(),
          config.als().rank(), Runtime.getRuntime().maxMemory());
      var d = set.data();
      System.err.printf(Locale.ROOT, "%s: %,d ratings, %,d users, %,d movies (read and cleaned on %s)%n", d.name(), d.ratings().size(),
          d.userIds().length, d.catalog().size(), session.sparkContext().master());
      System.err.print(d.quality().table());
      TrainedVersion trained =
          SparkTrainingJob.train(session, set, config, String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      VersionPublisher.Outcome outcome =
          VersionPublisher.publish(registry.open(), registry.name(), trained, Optional.ofNullable(promote), RegistryOptions.actor(),
              publication.signer(), publication.annMinMovies());
      System.out.println();
      TextTable t = new TextTable("rating model", "validation RMSE");
      trained.metrics().get("validation_rmse").properties().forEach(e -> t.row(
          e.getKey() + (e.getKey().equals(trained.selectedRatingModel()) ? " *" : ""), String.format(Locale.ROOT, "%.4f", e.getValue().asDouble())));
      System.out.print(t.render());
      TextTable r = new TextTable("top-N model", "validation NDCG@10");
      trained.metrics().get("validation_ndcg_at_10").properties().forEach(e -> r.row(
          e.getKey() + (e.getKey().equals(trained.selectedRankingModel()) ? " *" : ""), String.format(Locale.ROOT, "%.4f", e.getValue().asDouble())));
      System.out.print(r.render());
      System.out.printf(Locale.ROOT, "published %s version %d to %s%s in %s%n", registry.name(), outcome.manifest().version(),
          registry.open().root(), outcome.promotion().map(e -> " and promoted it to " + e.alias()).orElse(""),
          Durations.format((System.nanoTime() - start) / 1e9));
    }
    return 0;
  }
}
