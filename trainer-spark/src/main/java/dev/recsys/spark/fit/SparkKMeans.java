package dev.recsys.spark.fit;

import dev.recsys.models.segments.Centroids;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Spark ML's K-Means (k-means|| initialisation) over rows of a factor table. */
public final class SparkKMeans {

  private SparkKMeans() {}

  /**
   * Centroids of the rows {@code which} of {@code points} ({@code dim} values per row).
   *
   * @param k clusters (fewer when there are fewer distinct points)
   */
  public static Centroids centroids(SparkSession spark, float[] points, int dim, int[] which, int k, long seed) {
    List<Row> rows = new ArrayList<>(which.length);
    for (int i : which) {
      double[] x = new double[dim];
      for (int d = 0; d < dim; d++) {
        x[d] = points[i * dim + d];
      }
      rows.add(RowFactory.create(Vectors.dense(x)));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    KMeansModel model = new KMeans().setK(Math.max(2, Math.min(k, which.length))).setSeed(seed).setMaxIter(50)
        .fit(spark.createDataFrame(rows, schema));
    Vector[] centres = model.clusterCenters();
    float[] values = new float[centres.length * dim];
    for (int c = 0; c < centres.length; c++) {
      for (int d = 0; d < dim; d++) {
        values[c * dim + d] = (float) centres[c].apply(d);
      }
    }
    return new Centroids(centres.length, dim, values);
  }
}
