package dev.recsys.spark.ingest;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.DataSource;
import dev.recsys.trainer.data.HeapBudget;
import dev.recsys.trainer.data.Layout;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.data.RatingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A data set read for Spark training: the cleaned ratings on the cluster, and the same ratings on
 * the driver in the one-machine trainer's form. The driver copy is what the published version
 * stores for serving (every user's ratings), so it is needed whatever the trainer.
 *
 * @param data the data set as the one-machine trainer would have loaded it
 * @param ratings the cleaned ratings on the cluster, sorted by user then movie id, cached
 */
public record SparkDataSet(MovieLensData data, JavaRDD<CleanRating> ratings) {

  /**
   * Reads the catalogue from {@code catalogSource} and the ratings from {@code ratings} (a
   * MovieLens rating file) or {@code parquet} (a table), or else from the catalogue folder's own
   * rating file.
   *
   * @param dim the factor dimension (for the heap estimate)
   * @param maxHeap the driver's heap: a data set whose ratings would not fit is refused before they
   *     are collected
   */
  public static SparkDataSet read(SparkSession spark, Path catalogSource, Optional<String> ratings, Optional<String> parquet,
      int partitions, int dim, long maxHeap) throws IOException {
    DataQuality quality = new DataQuality();
    Catalog catalog;
    Layout layout;
    String name;
    try (DataSource source = DataSource.open(catalogSource)) {
      layout = Layout.ofMovies(source);
      catalog = MovieLensLoader.catalog(source, layout, quality);
      name = source.name();
    }
    long[] catalogIds = new long[catalog.size()];
    for (int m = 0; m < catalogIds.length; m++) {
      catalogIds[m] = catalog.movieId(m);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String location;
    SparkRatingsReader.Cleaned cleaned;
    if (parquet.isPresent()) {
      location = parquet.get();
      cleaned = SparkRatingsReader.parquet(spark, location, catalogIds, partitions, quality);
    } else {
      location = ratings.orElseGet(() -> ownRatingFile(catalogSource, layout));
      cleaned = SparkRatingsReader.text(sc, location, layout.ratingSeparator(), catalogIds, partitions, quality);
    }
    long users = cleaned.ratings().map(CleanRating::user).distinct().count();
    HeapBudget.require(cleaned.kept(), users, catalog.size(), dim, maxHeap);
    String sha = HadoopDigest.sha256(location, sc.hadoopConfiguration());
    Dense table = collect(cleaned, catalog, (int) users);
    return new SparkDataSet(
        new MovieLensData(name, sha, layout, catalog, table.table(), table.userIds(), quality, Optional.empty()),
        cleaned.ratings());
  }

  /**
   * The same data set restricted to {@code subset} (a split made on the driver), with the subset
   * shipped to the cluster: for evaluating with the one-machine trainer's splits, on data sets that
   * fit one machine.
   */
  public SparkDataSet restrictedTo(JavaSparkContext sc, RatingsTable subset, int partitions) {
    java.util.List<CleanRating> rows = new java.util.ArrayList<>(subset.size());
    for (int r = 0; r < subset.size(); r++) {
      rows.add(new CleanRating((int) data.userIds()[subset.user(r)], (int) data.catalog().movieId(subset.movie(r)), subset.rating(r),
          (int) subset.timestamp(r), r));
    }
    JavaRDD<CleanRating> shipped = sc.parallelize(rows, partitions);
    shipped.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    return new SparkDataSet(data.withRatings(subset), shipped);
  }

  private static String ownRatingFile(Path catalogSource, Layout layout) {
    Path file = catalogSource.resolve(layout.ratingsFile());
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(catalogSource + " has no " + layout.ratingsFile()
          + " to read on the cluster (a zip cannot be split): unpack it, or name the ratings with --ratings or --parquet");
    }
    return file.toAbsolutePath().toUri().toString();
  }

  private record Dense(RatingsTable table, long[] userIds) {}

  /** The cluster's sorted ratings as dense rows: users numbered by raw id, movies by catalogue index. */
  private static Dense collect(SparkRatingsReader.Cleaned cleaned, Catalog catalog, int users) {
    int n = Math.toIntExact(cleaned.kept());
    int[] u = new int[n];
    int[] m = new int[n];
    float[] r = new float[n];
    int[] t = new int[n];
    long[] ids = new long[users];
    int user = -1;
    int i = 0;
    for (Iterator<CleanRating> it = cleaned.ratings().toLocalIterator(); it.hasNext(); i++) {
      CleanRating c = it.next();
      if (user < 0 || ids[user] != c.user()) {
        ids[++user] = c.user();
      }
      u[i] = user;
      m[i] = catalog.indexOf(c.movie());
      r[i] = c.rating();
      t[i] = c.time();
    }
    if (i != n || user + 1 != users) {
      throw new IllegalStateException("the cluster returned " + i + " ratings of " + (user + 1) + " users, counted " + n + " and " + users);
    }
    return new Dense(RatingsTable.ofSorted(users, catalog.size(), u, m, r, t), ids);
  }
}
