package dev.recsys.spark.fit;

import dev.recsys.spark.ingest.CleanRating;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Spark MLlib's alternating least squares, explicit and implicit, with factors collected. */
public final class SparkAls {

  /**
   * Settings every fit shares.
   *
   * @param rank factors per user and movie
   * @param iterations ALS sweeps
   * @param blocks user and item blocks (the unit of parallel work; a few per executor core)
   * @param seed initialisation seed
   */
  public record Settings(int rank, int iterations, int blocks, long seed) {
    public Settings {
      // At most 100 iterations: no checkpoint directory is set, and ALS's lineage grows with every
      // iteration (a stack overflow in the scheduler far beyond that).
      if (rank < 1 || rank > 1024 || iterations < 1 || iterations > 100 || blocks < 1) {
        throw new IllegalArgumentException("ALS needs rank 1-1024, 1-100 iterations and >= 1 block; got rank " + rank + ", "
            + iterations + " iterations, " + blocks + " blocks");
      }
    }
  }

  private static final StructType INPUT = new StructType()
      .add("user", DataTypes.IntegerType, false)
      .add("movie", DataTypes.IntegerType, false)
      .add("value", DataTypes.FloatType, false);

  private SparkAls() {}

  /**
   * Explicit ALS on what the baseline leaves of each rating.
   *
   * @param reg Spark's regParam (scaled per row by its rating count, as in ALS-WR)
   */
  public static Factors explicit(SparkSession spark, JavaRDD<CleanRating> ratings, Broadcast<BiasLookup> baseline, double reg, Settings s) {
    JavaRDD<Row> rows = ratings.map(r -> RowFactory.create(r.user(), r.movie(), baseline.value().residual(r.user(), r.movie(), r.rating())));
    return collect(als(s).setImplicitPrefs(false).setRegParam(reg).fit(spark.createDataFrame(rows, INPUT)), s.rank());
  }

  /**
   * Implicit ALS (Hu, Koren and Volinsky) on who rated what, whatever the stars: confidence
   * {@code 1 + alpha} for a rated movie, 1 for the rest, preference 1 and 0.
   */
  public static Factors implicit(SparkSession spark, JavaRDD<CleanRating> ratings, double alpha, double reg, Settings s) {
    JavaRDD<Row> rows = ratings.map(r -> RowFactory.create(r.user(), r.movie(), 1f));
    return collect(als(s).setImplicitPrefs(true).setAlpha(alpha).setRegParam(reg).fit(spark.createDataFrame(rows, INPUT)), s.rank());
  }

  private static ALS als(Settings s) {
    return new ALS()
        .setUserCol("user")
        .setItemCol("movie")
        .setRatingCol("value")
        .setRank(s.rank())
        .setMaxIter(s.iterations())
        .setNumBlocks(s.blocks())
        .setSeed(s.seed());
  }

  private static Factors collect(ALSModel model, int rank) {
    Side users = side(model.userFactors(), rank);
    Side movies = side(model.itemFactors(), rank);
    return new Factors(rank, users.ids, users.values, movies.ids, movies.values);
  }

  private record Side(int[] ids, float[] values) {}

  private static Side side(Dataset<Row> factors, int rank) {
    List<Row> rows = factors.collectAsList();
    int[] ids = new int[rows.size()];
    float[] values = new float[rows.size() * rank];
    for (int i = 0; i < ids.length; i++) {
      Row row = rows.get(i);
      ids[i] = row.getInt(0);
      List<Float> features = row.getList(1);
      for (int d = 0; d < rank; d++) {
        values[i * rank + d] = features.get(d);
      }
    }
    return new Side(ids, values);
  }
}
