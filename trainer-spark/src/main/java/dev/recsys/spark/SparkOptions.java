package dev.recsys.spark;

import dev.recsys.spark.fit.SparkAls;
import dev.recsys.spark.job.SparkJobConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every Spark command shares: where the data is, the session, and the fitting settings. */
final class SparkOptions {

  @Option(names = "--data", required = true,
      description = "Local folder or zip with the MovieLens movie file (the catalogue); also the ratings unless --ratings or --parquet.")
  Path data;

  @Option(names = "--ratings", description = "Hadoop path (file:, hdfs:, s3a:, ...) of a MovieLens rating file in the catalogue's layout.")
  String ratings;

  @Option(names = "--parquet", description = "Hadoop path of a Parquet table with columns user, movie, rating, timestamp.")
  String parquet;

  @Option(names = "--master", description = "Spark master (e.g. local[2]); default: as spark-submit sets it.")
  String master;

  @Option(names = "--conf", description = "Extra Spark settings, key=value (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--partitions", defaultValue = "8", description = "Partitions of the ratings and shuffles (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of splits and fits (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rank", defaultValue = "32", description = "ALS factors per user and movie (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--iterations", defaultValue = "10", description = "ALS sweeps (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--explicit-reg", split = ",", defaultValue = "0.05,0.1,0.2",
      description = "Explicit ALS regParam values tried on validation (default: ${DEFAULT-VALUE}).")
  List<Double> explicitRegs;

  @Option(names = "--implicit-alpha", split = ",", defaultValue = "1,5,20",
      description = "Implicit ALS alpha values tried on validation (default: ${DEFAULT-VALUE}).")
  List<Double> implicitAlphas;

  @Option(names = "--implicit-reg", defaultValue = "0.1", description = "Implicit ALS regParam (default: ${DEFAULT-VALUE}).")
  double implicitReg;

  @Option(names = "--validation", description = "Share of ratings held out for every choice (default: the one-machine trainer's, 0.15).")
  Double validation;

  SparkJobConfig config() {
    SparkJobConfig d = SparkJobConfig.defaults(data, seed);
    return new SparkJobConfig(data, Optional.ofNullable(ratings), Optional.ofNullable(parquet), validation != null ? validation : d.validationShare(),
        new SparkAls.Settings(rank, iterations, Math.max(1, Math.min(partitions, 16)), seed), explicitRegs, implicitAlphas, implicitReg,
        d.neighbors(), d.knnNeighbors(), d.userSegments(), d.movieClusters(), partitions);
  }
}
