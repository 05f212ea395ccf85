package dev.recsys.spark.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * SHA-256 of an input on any Hadoop file system, for the manifest's lineage: of a file, its bytes;
 * of a folder (a Parquet table), the bytes of its data files in name order (files starting with
 * {@code _} or {@code .} are bookkeeping and left out).
 */
public final class HadoopDigest {

  private HadoopDigest() {}

  public static String sha256(String location, Configuration conf) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    FileStatus status = fs.getFileStatus(path);
    FileStatus[] files = status.isDirectory()
        ? Arrays.stream(fs.listStatus(path))
            .filter(f -> f.isFile() && !f.getPath().getName().startsWith("_") && !f.getPath().getName().startsWith("."))
            .sorted(Comparator.comparing(f -> f.getPath().getName()))
            .toArray(FileStatus[]::new)
        : new FileStatus[] {status};
    byte[] buffer = new byte[1 << 16];
    for (FileStatus f : files) {
      try (InputStream in = fs.open(f.getPath())) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
