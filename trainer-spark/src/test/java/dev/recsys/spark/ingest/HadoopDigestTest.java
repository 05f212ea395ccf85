package dev.recsys.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lineage hashes of tables: a partitioned table's files are read, and which partition holds what counts. */
class HadoopDigestTest {

  private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void aPartitionedTableHashesItsFilesAndTheirPartitions(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("table");
    Files.createDirectories(table.resolve("year=2019"));
    Files.createDirectories(table.resolve("year=2020"));
    Files.createDirectories(table.resolve("_temporary"));
    Files.writeString(table.resolve("year=2019/part-0.parquet"), "a");
    Files.writeString(table.resolve("year=2020/part-0.parquet"), "b");
    Files.writeString(table.resolve("_temporary/part-9.parquet"), "ignored");
    Files.writeString(table.resolve("_SUCCESS"), "");
    String first = HadoopDigest.sha256(table.toString(), new Configuration());
    assertNotEquals(EMPTY, first, "the files under partition folders are read");

    Files.writeString(table.resolve("year=2019/part-0.parquet"), "b");
    Files.writeString(table.resolve("year=2020/part-0.parquet"), "a");
    assertNotEquals(first, HadoopDigest.sha256(table.toString(), new Configuration()), "swapped between partitions: other data");

    Files.writeString(table.resolve("_temporary/part-9.parquet"), "changed");
    Files.writeString(table.resolve("year=2019/part-0.parquet"), "a");
    Files.writeString(table.resolve("year=2020/part-0.parquet"), "b");
    assertEquals(first, HadoopDigest.sha256(table.toString(), new Configuration()), "bookkeeping folders are left out");

    // The same bytes in the same order, in other partitions: other data (the partition is in the path).
    Path moved = dir.resolve("moved");
    Files.createDirectories(moved.resolve("year=2019"));
    Files.writeString(moved.resolve("year=2019/part-0.parquet"), "a");
    Files.writeString(moved.resolve("year=2019/part-1.parquet"), "b");
    assertNotEquals(first, HadoopDigest.sha256(moved.toString(), new Configuration()), "a file moved to another partition");
  }
}
