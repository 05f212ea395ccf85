package dev.recsys.trainer.data;

import dev.recsys.models.console.Progress;
import dev.recsys.models.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Downloads a MovieLens archive over HTTP(S) into a cache folder and verifies it before it becomes
 * visible. The archive is written to a temporary file next to its final place and renamed only after
 * the byte count and the checksum match; on any failure (network error, short body, wrong checksum)
 * the temporary file is removed, so the cache never holds a partial or unverified archive.
 */
public final class DatasetDownloader {

  private final HttpClient http;
  private final String baseUrl;
  private final ProgressFactory progressFactory;
  private final boolean allowPlainHttp;

  /** Makes the progress display of one download. */
  @FunctionalInterface
  public interface ProgressFactory {
    /**
     * @param task what is downloaded
     * @param totalBytes expected size, or 0 when unknown
     */
    Progress start(String task, long totalBytes);
  }

  /**
   * @param baseUrl where archives live ({@link DatasetSpec#GROUPLENS_BASE} or a mirror)
   * @param progressFactory makes the progress display of each download
   */
  public DatasetDownloader(HttpClient http, String baseUrl, ProgressFactory progressFactory) {
    this(http, baseUrl, progressFactory, "1".equals(System.getenv("RECSYS_ALLOW_HTTP_DOWNLOADS")));
  }

  /**
   * @param allowPlainHttp whether a plain {@code http} base address off this machine is allowed
   *     ({@code RECSYS_ALLOW_HTTP_DOWNLOADS=1}); https, and http to a loopback mirror, always are
   * @throws IllegalArgumentException naming the address when it is neither https nor allowed
   */
  DatasetDownloader(HttpClient http, String baseUrl, ProgressFactory progressFactory, boolean allowPlainHttp) {
    URI base;
    try {
      base = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the data set address '" + baseUrl + "' is not a URL: " + e.getMessage(), e);
    }
    if (!acceptable(base, allowPlainHttp)) {
      throw new IllegalArgumentException("the data set address '" + baseUrl + "' is not https: archives are only fetched over TLS "
          + "(a plain http mirror needs RECSYS_ALLOW_HTTP_DOWNLOADS=1)");
    }
    this.http = http;
    this.baseUrl = baseUrl;
    this.progressFactory = progressFactory;
    this.allowPlainHttp = allowPlainHttp;
  }

  /** https always; plain http to this machine, or anywhere when allowed. */
  private static boolean acceptable(URI url, boolean allowPlainHttp) {
    boolean http = "http".equalsIgnoreCase(url.getScheme());
    return "https".equalsIgnoreCase(url.getScheme()) || http && (isLoopback(url.getHost()) || allowPlainHttp);
  }

  private static boolean isLoopback(String host) {
    return host != null && (host.equals("localhost") || host.equals("[::1]") || host.equals("::1") || host.startsWith("127."));
  }

  /**
   * Most bytes accepted for an archive: twice its known size plus 16 MiB of slack, or 2 GiB when
   * its size is unknown. A server that sends more (or declares more) is refused before the disk or
   * the cache fills.
   */
  static long maxBytes(DatasetSpec spec) {
    return spec.approximateBytes() > 0 ? 2 * spec.approximateBytes() + (16L << 20) : 2L << 30;
  }

  /** A downloader against GroupLens (or {@code RECSYS_DATASET_BASE_URL}) with progress on stderr. */
  public static DatasetDownloader standard() {
    String base = System.getenv().getOrDefault("RECSYS_DATASET_BASE_URL", DatasetSpec.GROUPLENS_BASE);
    HttpClient client =
        HttpClient.newBuilder()
            // Followed by send(), hop by hop, each hop checked against the address rule.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
    return new DatasetDownloader(
        client, base, (task, total) -> Progress.start(task, total, Progress.Unit.BYTES));
  }

  /**
   * Downloads {@code spec} to {@code target} (an {@code .zip} path in the cache) and verifies it.
   *
   * @throws IOException with a message naming the address and what went wrong
   */
  public Path download(DatasetSpec spec, Path target) throws IOException {
    URI url = spec.url(baseUrl);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".part-" + UUID.randomUUID());
    try {
      Expected expected = expectedChecksum(spec, url);
      String actual = fetch(url, temp, expected.algorithm(), spec);
      if (!actual.equalsIgnoreCase(expected.hex())) {
        throw new IOException(
            "checksum mismatch for " + url + ": expected " + expected.algorithm() + " "
                + expected.hex() + ", got " + actual + " (the download was discarded)");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  record Expected(String algorithm, String hex) {}

  private Expected expectedChecksum(DatasetSpec spec, URI url) throws IOException {
    if (spec.sha256().isPresent()) {
      return new Expected("SHA-256", spec.sha256().get());
    }
    // GroupLens publishes "<md5>  <file>" beside each archive.
    URI md5Url = URI.create(url + ".md5");
    String body = new String(get(md5Url, HttpResponse.BodyHandlers.ofByteArray()), StandardCharsets.US_ASCII).trim();
    String hex = body.split("\\s+")[0].toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{32}")) {
      throw new IOException("checksum file " + md5Url + " does not hold an MD5 digest: '" + abbreviate(body) + "'");
    }
    return new Expected("MD5", hex);
  }

  private String fetch(URI url, Path temp, String algorithm, DatasetSpec spec) throws IOException {
    HttpResponse<InputStream> response = send(url, HttpResponse.BodyHandlers.ofInputStream());
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    long max = maxBytes(spec);
    if (declared > max) {
      response.body().close();
      throw new IOException("download of " + url + " declares " + declared + " bytes, over the " + max + " expected at most for "
          + spec.archiveName() + " (refused)");
    }
    MessageDigest digest = digest(algorithm);
    long received = 0;
    try (InputStream in = response.body();
        OutputStream out = Files.newOutputStream(temp);
        Progress progress =
            progressFactory.start("download " + url, declared > 0 ? declared : spec.approximateBytes())) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        received += n;
        if (received > max) {
          throw new IOException("more than " + max + " bytes, the most expected for " + spec.archiveName());
        }
        out.write(buffer, 0, n);
        digest.update(buffer, 0, n);
        progress.set(received);
      }
    } catch (IOException e) {
      throw new IOException("download of " + url + " broke off after " + received + " bytes: " + e.getMessage(), e);
    }
    if (declared >= 0 && received != declared) {
      throw new IOException(
          "download of " + url + " is incomplete: " + received + " of " + declared + " bytes (discarded)");
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private <T> T get(URI url, HttpResponse.BodyHandler<T> handler) throws IOException {
    return send(url, handler).body();
  }

  /** Most redirects followed for one file. */
  static final int MAX_REDIRECTS = 5;

  private <T> HttpResponse<T> send(URI url, HttpResponse.BodyHandler<T> handler) throws IOException {
    URI at = url;
    HttpResponse<T> response;
    for (int hop = 0; ; hop++) {
      HttpRequest request = HttpRequest.newBuilder(at).timeout(Duration.ofMinutes(30)).GET().build();
      try {
        response = http.send(request, handler);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading " + url, e);
      } catch (IOException e) {
        throw new IOException("cannot reach " + at + ": " + e.getMessage()
            + " (without internet access, set RECSYS_DATA_DIR to a folder holding the archives)", e);
      }
      var location = response.headers().firstValue("Location");
      if (!java.util.Set.of(301, 302, 303, 307, 308).contains(response.statusCode()) || location.isEmpty()) {
        break;
      }
      if (response.body() instanceof InputStream in) {
        in.close();
      }
      // Redirects are followed here, hop by hop, so that the address rule holds for every hop: a
      // plain-http hop off this machine would let anyone on its path point archive and checksum elsewhere.
      URI next = at.resolve(location.get());
      if (!acceptable(next, allowPlainHttp)) {
        throw new IOException("GET " + url + " was redirected to " + next + ", which is not https (archives are only fetched over TLS)");
      }
      if (hop + 1 >= MAX_REDIRECTS) {
        throw new IOException("GET " + url + " was redirected more than " + MAX_REDIRECTS + " times");
      }
      at = next;
    }
    if (response.statusCode() != 200 || !acceptable(response.uri(), allowPlainHttp)) {
      if (response.body() instanceof InputStream in) {
        in.close();
      }
      // Redirects are followed, so the rule for the address holds for where the bytes came from too:
      // a loopback mirror that redirects elsewhere over plain http would make the checksum worthless.
      throw new IOException(response.statusCode() != 200 ? "GET " + url + " answered HTTP " + response.statusCode()
          : "GET " + url + " was redirected to " + response.uri() + ", which is not https (archives are only fetched over TLS)");
    }
    return response;
  }

  private static MessageDigest digest(String algorithm) {
    if (algorithm.equals("SHA-256")) {
      return Sha256.newDigest();
    }
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from the JDK", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
