package dev.recsys.spark.ingest;

import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.DataQuality.Issue;
import dev.recsys.trainer.data.RatingLines;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Reads and cleans ratings on the cluster. The rules per line or row are the one-machine trainer's
 * ({@link RatingLines}); ratings of movies missing from the catalogue are dropped; of a pair rated
 * again, the latest rating is kept. Every drop is counted in a {@link DataQuality} with the first
 * few examples, so the report reads as the one-machine trainer's does.
 */
public final class SparkRatingsReader {

  /** Columns a Parquet rating table must have (any numeric or string type that casts). */
  public static final List<String> PARQUET_COLUMNS = List.of("user", "movie", "rating", "timestamp");

  /**
   * The cleaned ratings (cached on the cluster, sorted by user then movie id) and the report.
   *
   * @param kept how many ratings were kept
   */
  public record Cleaned(JavaRDD<CleanRating> ratings, DataQuality quality, long kept) {}

  /** What one input line or row became: a kept rating, or the issue it is counted under. */
  record Outcome(int issue, CleanRating rating, String example) implements Serializable {
    static final int KEPT = -1;
  }

  /** Examples kept per issue (as the one-machine report). */
  static final int EXAMPLES = 5;

  private SparkRatingsReader() {}

  /**
   * Reads a MovieLens rating file (any layout: {@code separator} as {@link
   * dev.recsys.trainer.data.Layout#ratingSeparator()}).
   *
   * @param catalogIds the catalogue's movie ids, ascending
   * @param partitions partitions of the cleaned ratings
   * @param quality the report to add to (the catalogue's cleaning is already in it)
   */
  public static Cleaned text(JavaSparkContext sc, String path, byte[] separator, long[] catalogIds, int partitions, DataQuality quality) {
    String file = new org.apache.hadoop.fs.Path(path).getName();
    JavaRDD<Outcome> outcomes = sc.textFile(path).mapPartitionsWithIndex((part, lines) -> parseLines(part, lines, separator, file), true);
    return clean(sc, outcomes, catalogIds, partitions, quality);
  }

  /** Reads a Parquet table with the columns {@link #PARQUET_COLUMNS}. */
  public static Cleaned parquet(SparkSession spark, String path, long[] catalogIds, int partitions, DataQuality quality) {
    Dataset<Row> table = spark.read().parquet(path);
    Set<String> have = Set.of(table.columns());
    List<String> missing = PARQUET_COLUMNS.stream().filter(c -> !have.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Parquet table " + path + " lacks the column(s) " + missing + "; it has " + Arrays.toString(table.columns())
          + " (expected " + PARQUET_COLUMNS + ")");
    }
    // Back-quoted: user and timestamp are SQL keywords.
    Dataset<Row> typed = table.selectExpr("try_cast(`user` AS BIGINT)", "try_cast(`movie` AS BIGINT)", "try_cast(`rating` AS DOUBLE)",
        "try_cast(`timestamp` AS BIGINT)");
    String name = new org.apache.hadoop.fs.Path(path).getName();
    JavaRDD<Outcome> outcomes = typed.javaRDD().mapPartitionsWithIndex((part, rows) -> checkRows(part, rows, name), true);
    return clean(JavaSparkContext.fromSparkContext(spark.sparkContext()), outcomes, catalogIds, partitions, quality);
  }

  /**
   * Outcomes of a partition's lines, produced as Spark pulls them (a split holds millions of
   * lines: never a list of them all).
   */
  private static Iterator<Outcome> parseLines(int part, Iterator<String> lines, byte[] separator, String file) {
    RatingLines rules = new RatingLines(separator);
    RatingLines.Parsed parsed = new RatingLines.Parsed();
    return new Outcomes<>(lines) {
      @Override
      Outcome next(String line, long i) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
          return null;
        }
        Issue issue = rules.parse(bytes, 0, bytes.length, part == 0 && i == 0, parsed);
        return issue == null
            ? new Outcome(Outcome.KEPT, rating(parsed, part, i), null)
            : new Outcome(issue.ordinal(), null, where(file, part, i) + line);
      }
    };
  }

  private static Iterator<Outcome> checkRows(int part, Iterator<Row> rows, String table) {
    RatingLines.Parsed parsed = new RatingLines.Parsed();
    return new Outcomes<>(rows) {
      @Override
      Outcome next(Row row, long i) {
        Issue issue = row.isNullAt(0) || row.isNullAt(1) || row.isNullAt(2) || row.isNullAt(3)
            ? Issue.MALFORMED_RATING_LINE
            : RatingLines.check(row.getLong(0), row.getLong(1), row.getDouble(2), row.getLong(3), parsed);
        return issue == null
            ? new Outcome(Outcome.KEPT, rating(parsed, part, i), null)
            : new Outcome(issue.ordinal(), null, where(table, part, i) + row.mkString(","));
      }
    };
  }

  /** Maps input records to outcomes lazily, skipping records that give none (blank lines). */
  private abstract static class Outcomes<T> implements Iterator<Outcome> {
    private final Iterator<T> input;
    private long index;
    private Outcome pending;

    Outcomes(Iterator<T> input) {
      this.input = input;
    }

    /** The outcome of record number {@code i} of the partition (from 0), or null to skip it. */
    abstract Outcome next(T record, long i);

    @Override
    public boolean hasNext() {
      while (pending == null && input.hasNext()) {
        pending = next(input.next(), index++);
      }
      return pending != null;
    }

    @Override
    public Outcome next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Outcome o = pending;
      pending = null;
      return o;
    }
  }

  private static CleanRating rating(RatingLines.Parsed p, int part, long index) {
    return new CleanRating((int) p.user, (int) p.movie, p.rating, p.time, ((long) part << 40) | index);
  }

  /** Input splits have no global line numbers: an example names its split and line within it. */
  private static String where(String file, int part, long index) {
    return file + " (split " + part + ", line " + (index + 1) + "): ";
  }

  private static Cleaned clean(JavaSparkContext sc, JavaRDD<Outcome> outcomes, long[] catalogIds, int partitions, DataQuality quality) {
    outcomes.persist(StorageLevel.MEMORY_AND_DISK());
    Map<Integer, Long> counts = new TreeMap<>(outcomes.filter(o -> o.issue() != Outcome.KEPT).map(Outcome::issue).countByValue());
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      int issue = e.getKey();
      List<String> examples = outcomes.filter(o -> o.issue() == issue).map(Outcome::example).take(EXAMPLES);
      report(quality, Issue.values()[issue], e.getValue(), examples);
    }

    Broadcast<long[]> catalog = sc.broadcast(catalogIds);
    JavaRDD<CleanRating> parsed = outcomes.filter(o -> o.issue() == Outcome.KEPT).map(Outcome::rating);
    JavaRDD<CleanRating> unknown = parsed.filter(r -> Arrays.binarySearch(catalog.value(), r.movie()) < 0);
    long unknownCount = unknown.count();
    if (unknownCount > 0) {
      report(quality, Issue.UNKNOWN_MOVIE, unknownCount,
          unknown.map(r -> "user " + r.user() + " rated movie " + r.movie()).take(EXAMPLES));
    }
    JavaRDD<CleanRating> known = parsed.filter(r -> Arrays.binarySearch(catalog.value(), r.movie()) >= 0);
    var pairs = known.mapToPair(r -> new Tuple2<>(r.pair(), r));
    JavaRDD<CleanRating> kept = pairs.reduceByKey(CleanRating::later, partitions).sortByKey(true, partitions).values();
    kept.persist(StorageLevel.MEMORY_AND_DISK());
    long keptCount = kept.count();
    long duplicates = known.count() - keptCount;
    if (duplicates > 0) {
      List<String> examples = pairs.mapValues(r -> 1).reduceByKey(Integer::sum).filter(t -> t._2() > 1)
          .map(t -> "user " + (t._1() >>> 32) + " rated movie " + (t._1() & 0xFFFF_FFFFL) + " " + t._2() + " times").take(EXAMPLES);
      report(quality, Issue.DUPLICATE_RATING, duplicates, examples);
    }
    outcomes.unpersist(false);
    return new Cleaned(kept, quality, keptCount);
  }

  private static void report(DataQuality quality, Issue issue, long count, List<String> examples) {
    for (String example : examples) {
      quality.record(issue, example);
    }
    quality.recordMany(issue, count - examples.size());
  }
}
