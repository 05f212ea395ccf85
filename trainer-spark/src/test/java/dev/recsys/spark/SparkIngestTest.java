package dev.recsys.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.spark.ingest.SparkDataSet;
import dev.recsys.spark.testing.LocalSpark;
import dev.recsys.spark.testing.Ml100k;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.data.RatingsTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and cleaning on Spark (local[2]) against the one-machine loader on the same files. */
class SparkIngestTest extends LocalSpark {

  @Test
  void corruptRatingFileGetsTheOneMachineReportAndTable(@TempDir Path dir) throws Exception {
    Ml100k.unpack(dir, "u.data", "u.item", "u.genre");
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("u.data")).subList(0, 20_000));
    String first = lines.get(0);
    String[] f = first.split("\t");
    lines.add(5, "196\t242");                                   // too few fields
    lines.add(9, "oops\t242\t3\t881250949");                   // not a number
    lines.add(100, "196\t242\t7\t881250949");                  // out of range
    lines.add(200, "196\t242\tNaN\t881250949");                // a non-number rating
    lines.add(300, "-4\t242\t3\t881250949");                   // invalid id
    lines.add(400, "196\t99999\t3\t881250949");                // unknown movie
    lines.add(f[0] + "\t" + f[1] + "\t1\t" + (Long.parseLong(f[3]) + 10));  // the same pair, later: kept
    lines.add(f[0] + "\t" + f[1] + "\t2\t" + (Long.parseLong(f[3]) - 10));  // the same pair, earlier: dropped
    lines.add("");
    Files.write(dir.resolve("u.data"), lines, StandardCharsets.UTF_8);

    MovieLensData local = MovieLensLoader.quiet().load(dir);
    MovieLensData onSpark = SparkDataSet.read(spark, dir, Optional.empty(), Optional.empty(), 4, 32, Runtime.getRuntime().maxMemory()).data();

    assertEquals(counts(local.quality()), counts(onSpark.quality()));
    assertEquals(1, onSpark.quality().count(DataQuality.Issue.UNKNOWN_MOVIE));
    assertEquals(2, onSpark.quality().count(DataQuality.Issue.DUPLICATE_RATING));
    assertEquals(2, onSpark.quality().count(DataQuality.Issue.MALFORMED_RATING_LINE));
    assertEquals(1, onSpark.quality().count(DataQuality.Issue.INVALID_ID));
    assertEquals(2, onSpark.quality().count(DataQuality.Issue.RATING_OUT_OF_RANGE), "7 stars and NaN");
    assertSameTable(local.ratings(), onSpark.ratings());
    assertArrayEquals(local.userIds(), onSpark.userIds());
    assertEquals(local.sha256(), onSpark.sha256(), "lineage hashes the same rating file");
    // The later of the two extra ratings of the pair won.
    int u = onSpark.userIndex(Long.parseLong(f[0]));
    int m = onSpark.catalog().indexOf(Long.parseLong(f[1]));
    RatingsTable t = onSpark.ratings();
    for (int r = t.userStart(u); r < t.userEnd(u); r++) {
      if (t.movie(r) == m) {
        assertEquals(1f, t.rating(r));
      }
    }
  }

  @Test
  void parquetTableIsCleanedByTheSameRules(@TempDir Path dir) throws Exception {
    Ml100k.unpack(dir, "u.item", "u.genre");
    StructType schema = new StructType().add("user", DataTypes.StringType).add("movie", DataTypes.StringType)
        .add("rating", DataTypes.StringType).add("timestamp", DataTypes.StringType);
    List<Row> rows = List.of(
        RowFactory.create("1", "1", "4", "881250949"),
        RowFactory.create("1", "2", "3.5", "881250950"),
        RowFactory.create("2", "1", "5", "881250951"),
        RowFactory.create("2", "x", "5", "881250951"),        // not a number
        RowFactory.create("2", "3", null, "881250951"),       // no rating
        RowFactory.create("2", "3", "0", "881250951"),        // out of range
        RowFactory.create("0", "3", "2", "881250951"),        // invalid id
        RowFactory.create("3", "99999", "2", "881250951"),    // unknown movie
        RowFactory.create("1", "1", "2", "881250999"));       // later rating of a pair
    String table = dir.resolve("ratings.parquet").toUri().toString();
    spark.createDataFrame(rows, schema).write().parquet(table);

    MovieLensData data = SparkDataSet.read(spark, dir, Optional.empty(), Optional.of(table), 2, 32, Runtime.getRuntime().maxMemory()).data();

    assertEquals(3, data.ratings().size());
    assertArrayEquals(new long[] {1, 2}, data.userIds());
    assertEquals(2, data.quality().count(DataQuality.Issue.MALFORMED_RATING_LINE));
    assertEquals(1, data.quality().count(DataQuality.Issue.RATING_OUT_OF_RANGE));
    assertEquals(1, data.quality().count(DataQuality.Issue.INVALID_ID));
    assertEquals(1, data.quality().count(DataQuality.Issue.UNKNOWN_MOVIE));
    assertEquals(1, data.quality().count(DataQuality.Issue.DUPLICATE_RATING));
    assertEquals(2f, data.ratings().rating(0), "the later rating of user 1, movie 1 is kept");
    assertTrue(data.quality().entries().stream().allMatch(e -> !e.examples().isEmpty()), "every issue has an example");
  }

  @Test
  void parquetTableWithoutTheColumnsIsRefusedByName(@TempDir Path dir) {
    Ml100k.unpack(dir, "u.item", "u.genre");
    String table = dir.resolve("wrong.parquet").toUri().toString();
    spark.createDataFrame(List.of(RowFactory.create(1, 2)), new StructType().add("userId", DataTypes.IntegerType).add("movie", DataTypes.IntegerType))
        .write().parquet(table);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkDataSet.read(spark, dir, Optional.empty(), Optional.of(table), 2, 32, Runtime.getRuntime().maxMemory()));
    assertTrue(e.getMessage().contains("[user, rating, timestamp]"), e.getMessage());
  }

  @Test
  void aDataSetOverTheDriversHeapIsRefusedBeforeCollecting(@TempDir Path dir) {
    Ml100k.unpack(dir, "u.data", "u.item", "u.genre");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SparkDataSet.read(spark, dir, Optional.empty(), Optional.empty(), 2, 32, 64L << 20));
    assertTrue(e.getMessage().contains("100,000 ratings"), e.getMessage());
  }

  private static Map<DataQuality.Issue, Long> counts(DataQuality q) {
    Map<DataQuality.Issue, Long> m = new TreeMap<>();
    q.entries().forEach(e -> m.put(e.issue(), e.count()));
    return m;
  }

  private static void assertSameTable(RatingsTable a, RatingsTable b) {
    assertEquals(a.size(), b.size());
    assertEquals(a.numUsers(), b.numUsers());
    assertEquals(a.numMovies(), b.numMovies());
    for (int r = 0; r < a.size(); r++) {
      if (a.user(r) != b.user(r) || a.movie(r) != b.movie(r) || a.rating(r) != b.rating(r) || a.timestamp(r) != b.timestamp(r)) {
        throw new AssertionError("row " + r + " differs: " + a.user(r) + "/" + a.movie(r) + "/" + a.rating(r) + " against "
            + b.user(r) + "/" + b.movie(r) + "/" + b.rating(r));
      }
    }
  }
}
