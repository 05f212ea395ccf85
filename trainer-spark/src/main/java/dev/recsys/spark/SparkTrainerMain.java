package dev.recsys.spark;

import dev.recsys.models.console.Cli;
import dev.recsys.models.torchscript.NativeSettings;
import picocli.CommandLine.Command;

/** Entry point of {@code recsys-trainer-spark} (run with spark-submit, or with java for local mode). */
@Command(name = "recsys-trainer-spark", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    subcommands = {TrainSparkCommand.class, EvaluateSparkCommand.class},
    description = "Train and publish model versions on Apache Spark, or evaluate Spark's models beside the one-machine trainer's.")
public final class SparkTrainerMain implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    NativeSettings.apply();
    System.exit(Cli.run(new SparkTrainerMain(), args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
