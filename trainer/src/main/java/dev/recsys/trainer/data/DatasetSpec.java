package dev.recsys.trainer.data;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The MovieLens data sets the trainer knows by name, with their official GroupLens addresses.
 *
 * <p>Where the SHA-256 of the official archive is pinned here it is checked; otherwise the download
 * is checked against the MD5 that GroupLens publishes beside each archive ({@code <url>.md5}).
 */
public enum DatasetSpec {
  ML_LATEST_SMALL(
      "ml-latest-small", "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436", 978_202),
  ML_100K("ml-100k", null, 4_924_029),
  ML_1M("ml-1m", null, 5_917_549),
  ML_10M("ml-10m", null, 65_566_137),
  ML_20M("ml-20m", null, 198_702_078),
  ML_25M("ml-25m", null, 261_978_986),
  ML_LATEST("ml-latest", null, 0);

  /** Official base address of the archives. */
  public static final String GROUPLENS_BASE = "https://files.grouplens.org/datasets/movielens/";

  private final String id;
  private final String sha256;
  private final long approximateBytes;

  DatasetSpec(String id, String sha256, long approximateBytes) {
    this.id = id;
    this.sha256 = sha256;
    this.approximateBytes = approximateBytes;
  }

  /** The name used on the command line and in file names, e.g. {@code "ml-100k"}. */
  public String id() {
    return id;
  }

  /** {@code "<id>.zip"}. */
  public String archiveName() {
    return id + ".zip";
  }

  /** Pinned SHA-256 of the official archive, when known. */
  public Optional<String> sha256() {
    return Optional.ofNullable(sha256);
  }

  /** Size of the official archive, for progress when the server sends no length (0: unknown). */
  public long approximateBytes() {
    return approximateBytes;
  }

  /** The archive's address under a base URL (the official one, or a mirror). */
  public URI url(String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    return URI.create(base + archiveName());
  }

  /** The spec with this name, case-insensitive. */
  public static Optional<DatasetSpec> byName(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
  }

  /** The names, for help and error messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(DatasetSpec::id).toList());
  }
}
