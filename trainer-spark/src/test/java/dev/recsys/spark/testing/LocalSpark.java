package dev.recsys.spark.testing;

import dev.recsys.spark.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of test classes that share one {@code local[2]} session (about 4 s to start). */
public abstract class LocalSpark {

  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.open("local[2]", 4, Map.of());
  }

  @AfterAll
  static void stopSpark() throws Exception {
    spark.close();
  }
}
