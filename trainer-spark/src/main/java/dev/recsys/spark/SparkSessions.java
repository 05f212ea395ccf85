package dev.recsys.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Spark sessions as the trainer wants them. */
public final class SparkSessions {

  private SparkSessions() {}

  /**
   * A session: on {@code master} when given (e.g. {@code local[2]}), else where spark-submit
   * says. Shuffles use {@code partitions} partitions (Spark's default of 200 is far too many for
   * local runs); the web UI is off in local mode (tests run several sessions on one machine).
   */
  public static SparkSession open(String master, int partitions, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder().appName("recsys-trainer-spark")
        .config("spark.sql.shuffle.partitions", String.valueOf(partitions))
        .config("spark.default.parallelism", String.valueOf(partitions));
    if (master != null) {
      builder.master(master);
      if (master.startsWith("local")) {
        builder.config("spark.ui.enabled", "false");
      }
    }
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }
}
