package dev.recsys.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a {@code --data} argument into a local folder or zip archive.
 *
 * <p>Order: an existing path (folder or {@code .zip}) is used as it is. A known data set name
 * ({@link DatasetSpec}) is looked up as {@code <name>.zip} or {@code <name>/} in the
 * {@code RECSYS_DATA_DIR} folder (already-downloaded archives, as in CI), then in the download cache
 * ({@code RECSYS_CACHE_DIR}, default {@code ~/.cache/recsys/datasets}); when missing it is
 * downloaded into the cache and verified.
 */
public final class DatasetLocator {

  private final Optional<Path> dataDir;
  private final Path cacheDir;
  private final DatasetDownloader downloader;

  public DatasetLocator(Optional<Path> dataDir, Path cacheDir, DatasetDownloader downloader) {
    this.dataDir = dataDir;
    this.cacheDir = cacheDir;
    this.downloader = downloader;
  }

  /** A locator configured from the environment (and the {@code recsys.data.dir} property for tests). */
  public static DatasetLocator fromEnvironment() {
    String data = System.getenv("RECSYS_DATA_DIR");
    if (data == null || data.isBlank()) {
      data = System.getProperty("recsys.data.dir");
    }
    String cache = System.getenv("RECSYS_CACHE_DIR");
    Path cacheDir =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "recsys", "datasets");
    return new DatasetLocator(
        Optional.ofNullable(data).filter(s -> !s.isBlank()).map(Path::of),
        cacheDir,
        DatasetDownloader.standard());
  }

  /** The local folder or archive for {@code nameOrPath}, downloading it when needed. */
  public Path locate(String nameOrPath) throws IOException {
    Path asPath = Path.of(nameOrPath);
    if (Files.exists(asPath)) {
      return asPath;
    }
    DatasetSpec spec =
        DatasetSpec.byName(nameOrPath)
            .orElseThrow(
                () ->
                    new IOException(
                        "'" + nameOrPath + "' is neither an existing folder or zip nor a known data set ("
                            + DatasetSpec.names() + ")"));
    for (Path dir : dataDir.stream().toList()) {
      for (Path candidate : new Path[] {dir.resolve(spec.archiveName()), dir.resolve(spec.id())}) {
        if (Files.exists(candidate)) {
          return candidate;
        }
      }
    }
    Path cached = cacheDir.resolve(spec.archiveName());
    if (Files.isRegularFile(cached)) {
      return cached;
    }
    return downloader.download(spec, cached);
  }
}
