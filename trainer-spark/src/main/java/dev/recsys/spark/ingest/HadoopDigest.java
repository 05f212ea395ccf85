package dev.recsys.spark.ingest;

import dev.recsys.models.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * SHA-256 of an input on any Hadoop file system, for the manifest's lineage: of a file, its bytes;
 * of a folder (a Parquet table, partitioned or not), the bytes of its data files in path order, each
 * file under a partition folder preceded by its path below the table (a partition's value is in its
 * folder's name, so it is data too). Files and folders starting with {@code _} or {@code .} are
 * bookkeeping and left out.
 */
public final class HadoopDigest {

  private HadoopDigest() {}

  public static String sha256(String location, Configuration conf) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    MessageDigest digest = Sha256.newDigest();
    FileStatus status = fs.getFileStatus(path);
    java.util.TreeMap<String, Path> files = new java.util.TreeMap<>();
    if (status.isDirectory()) {
      String root = fs.makeQualified(path).toUri().getPath();
      // Recursive: a partitioned table keeps its data under year=2019/ and the like (listing only
      // the top level hashed nothing at all for such a table).
      var all = fs.listFiles(path, true);
      while (all.hasNext()) {
        Path file = all.next().getPath();
        String relative = file.toUri().getPath().substring(root.length()).replaceFirst("^/", "");
        if (Arrays.stream(relative.split("/")).noneMatch(part -> part.startsWith("_") || part.startsWith("."))) {
          files.put(relative, file);
        }
      }
    } else {
      files.put("", path);
    }
    for (var f : files.entrySet()) {
      if (f.getKey().contains("/")) {
        digest.update((f.getKey() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      try (InputStream in = fs.open(f.getValue())) {
        Sha256.update(digest, in);
      }
    }
    return Sha256.hex(digest.digest());
  }
}
