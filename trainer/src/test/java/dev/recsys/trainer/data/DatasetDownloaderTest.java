package dev.recsys.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.models.console.Progress;
import dev.recsys.trainer.testing.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real HTTP download code against a local HTTP server on a real port. */
class DatasetDownloaderTest {

  @TempDir Path cache;
  HttpServer server;
  final Map<String, Handler> routes = new ConcurrentHashMap<>();
  final Map<String, Integer> hits = new ConcurrentHashMap<>();
  final StringBuilder progressLog = new StringBuilder();

  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          hits.merge(path, 1, Integer::sum);
          Handler h = routes.get(path);
          try {
            if (h == null) {
              exchange.sendResponseHeaders(404, -1);
            } else {
              h.handle(exchange);
            }
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  DatasetDownloader downloader() {
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/movielens/";
    return new DatasetDownloader(
        HttpClient.newHttpClient(),
        base,
        (task, total) -> {
          progressLog.append(task).append(' ').append(total).append('\n');
          return Progress.silent(task);
        });
  }

  static Handler body(byte[] bytes) {
    return exchange -> {
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  @Test
  void download_pinnedSha256_verifiesTheRealArchive() throws IOException {
    byte[] zip = Files.readAllBytes(TestData.archive("ml-latest-small"));
    routes.put("/movielens/ml-latest-small.zip", body(zip));

    Path got = downloader().download(DatasetSpec.ML_LATEST_SMALL, cache.resolve("ml-latest-small.zip"));

    assertArrayEquals(zip, Files.readAllBytes(got));
    assertTrue(progressLog.toString().contains(" " + zip.length), "progress knows the size");
    assertEquals(null, hits.get("/movielens/ml-latest-small.zip.md5"), "pinned sets need no .md5");
    assertEquals(1, listing(cache).length);
  }

  @Test
  void download_md5Companion_isFetchedAndChecked() throws Exception {
    byte[] zip = Files.readAllBytes(TestData.archive("ml-100k"));
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(zip));
    routes.put("/movielens/ml-100k.zip", body(zip));
    routes.put("/movielens/ml-100k.zip.md5", body((md5 + "  ml-100k.zip\n").getBytes(StandardCharsets.US_ASCII)));

    Path got = downloader().download(DatasetSpec.ML_100K, cache.resolve("ml-100k.zip"));

    assertEquals(zip.length, Files.size(got));
    // The downloaded archive loads.
    assertEquals(100_000, MovieLensLoader.quiet().load(got).ratings().size());
  }

  @Test
  void download_wrongChecksum_failsAndLeavesNoFile() {
    routes.put("/movielens/ml-latest-small.zip", body("not the real archive".getBytes(StandardCharsets.US_ASCII)));

    IOException e =
        assertThrows(IOException.class,
            () -> downloader().download(DatasetSpec.ML_LATEST_SMALL, cache.resolve("ml-latest-small.zip")));

    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertEquals(0, listing(cache).length, "no partial or unverified file is left");
  }

  @Test
  void download_cutOff_failsAndLeavesNoFile() {
    routes.put(
        "/movielens/ml-latest-small.zip",
        exchange -> {
          // Promise a megabyte, send a few bytes, then drop the connection.
          exchange.sendResponseHeaders(200, 1_000_000);
          OutputStream out = exchange.getResponseBody();
          out.write(new byte[1000]);
          out.flush();
          throw new IOException("simulated cut");
        });

    IOException e =
        assertThrows(IOException.class,
            () -> downloader().download(DatasetSpec.ML_LATEST_SMALL, cache.resolve("ml-latest-small.zip")));

    assertTrue(e.getMessage().contains("broke off") || e.getMessage().contains("incomplete"), e.getMessage());
    assertEquals(0, listing(cache).length);
  }

  @Test
  void download_declaresFarMoreThanTheArchive_refusedBeforeReading() {
    routes.put("/movielens/ml-latest-small.zip", exchange -> {
      exchange.sendResponseHeaders(200, 40L << 30);
      OutputStream out = exchange.getResponseBody();
      out.write(new byte[1024]);
      out.flush();
    });

    IOException e = assertThrows(IOException.class,
        () -> downloader().download(DatasetSpec.ML_LATEST_SMALL, cache.resolve("ml-latest-small.zip")));

    assertTrue(e.getMessage().contains("declares " + (40L << 30)) && e.getMessage().contains("refused"), e.getMessage());
    assertEquals(0, listing(cache).length);
  }

  @Test
  void download_endlessBodyWithoutLength_stopsAtTheCap() {
    long max = DatasetDownloader.maxBytes(DatasetSpec.ML_LATEST_SMALL);
    routes.put("/movielens/ml-latest-small.zip", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[1 << 20];
      try (OutputStream out = exchange.getResponseBody()) {
        for (long sent = 0; sent <= max + chunk.length; sent += chunk.length) {
          out.write(chunk);
        }
      } catch (IOException closedByTheClient) {
        // the downloader hung up, as it should
      }
    });

    IOException e = assertThrows(IOException.class,
        () -> downloader().download(DatasetSpec.ML_LATEST_SMALL, cache.resolve("ml-latest-small.zip")));

    assertTrue(e.getMessage().contains("more than " + max + " bytes"), e.getMessage());
    assertEquals(0, listing(cache).length);
  }

  @Test
  void constructor_plainHttpOffThisMachine_refusedNamingTheAddress() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DatasetDownloader(HttpClient.newHttpClient(), "http://mirror.example.org/movielens/", (t, n) -> Progress.silent(t), false));
    assertTrue(e.getMessage().contains("http://mirror.example.org/movielens/") && e.getMessage().contains("RECSYS_ALLOW_HTTP_DOWNLOADS"),
        e.getMessage());
    new DatasetDownloader(HttpClient.newHttpClient(), "http://mirror.example.org/movielens/", (t, n) -> Progress.silent(t), true);
    new DatasetDownloader(HttpClient.newHttpClient(), DatasetSpec.GROUPLENS_BASE, (t, n) -> Progress.silent(t), false);
  }

  @Test
  void load_archiveOfOneEndlessLine_refusedWithoutFillingTheHeap() throws IOException {
    Path zip = cache.resolve("bomb.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("bomb/ratings.csv"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 8; i++) {
        out.write(zeros);
      }
      out.closeEntry();
      out.putNextEntry(new java.util.zip.ZipEntry("bomb/movies.csv"));
      out.write("movieId,title,genres\n1,Toy Story (1995),Animation\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    IOException e = assertThrows(IOException.class, () -> MovieLensLoader.quiet().load(zip));
    assertTrue(e.getMessage().contains("longer than"), e.getMessage());
  }

  @Test
  void download_notFound_saysWhichAddress() {
    IOException e =
        assertThrows(IOException.class,
            () -> downloader().download(DatasetSpec.ML_1M, cache.resolve("ml-1m.zip")));
    assertTrue(e.getMessage().contains("ml-1m.zip.md5") && e.getMessage().contains("404"), e.getMessage());
    assertEquals(0, listing(cache).length);
  }

  @Test
  void download_malformedMd5File_isRefused() {
    routes.put("/movielens/ml-1m.zip", body(new byte[10]));
    routes.put("/movielens/ml-1m.zip.md5", body("<html>oops</html>".getBytes(StandardCharsets.US_ASCII)));
    IOException e =
        assertThrows(IOException.class, () -> downloader().download(DatasetSpec.ML_1M, cache.resolve("ml-1m.zip")));
    assertTrue(e.getMessage().contains("does not hold an MD5"), e.getMessage());
  }

  @Test
  void locator_prefersDataDir_thenCache_thenDownloads() throws IOException {
    byte[] zip = Files.readAllBytes(TestData.archive("ml-latest-small"));
    routes.put("/movielens/ml-latest-small.zip", body(zip));
    Path dataDir = Files.createDirectories(cache.resolve("data"));
    Path cacheDir = cache.resolve("cache");

    DatasetLocator withoutData = new DatasetLocator(Optional.empty(), cacheDir, downloader());
    Path downloaded = withoutData.locate("ml-latest-small");
    assertEquals(cacheDir.resolve("ml-latest-small.zip"), downloaded);
    assertEquals(downloaded, withoutData.locate("ml-latest-small"));
    assertEquals(1, hits.get("/movielens/ml-latest-small.zip"), "the cache is used the second time");

    Path local = Files.write(dataDir.resolve("ml-latest-small.zip"), zip);
    assertEquals(local, new DatasetLocator(Optional.of(dataDir), cacheDir, downloader()).locate("ml-latest-small"));
    assertEquals(local, withoutData.locate(local.toString()), "an existing path is used as it is");

    IOException e = assertThrows(IOException.class, () -> withoutData.locate("ml-7x"));
    assertTrue(e.getMessage().contains("ml-100k"), e.getMessage());
  }

  static Path[] listing(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toArray(Path[]::new);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /**
   * A loopback mirror may be plain http; a redirect from it to another machine over plain http is
   * refused, since the checksum fetched the same way would prove nothing.
   */
  @Test
  void download_redirectOffThisMachineOverPlainHttp_isRefused() throws Exception {
    java.net.InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream())
        .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "needs a non-loopback address on this machine");
    HttpServer elsewhere = HttpServer.create(new InetSocketAddress(external, 0), 0);
    elsewhere.createContext("/", body(Files.readAllBytes(TestData.archive("ml-100k")))::handle);
    elsewhere.start();
    try {
      String target = "http://" + external.getHostAddress() + ":" + elsewhere.getAddress().getPort() + "/ml-100k.zip";
      for (String path : java.util.List.of("/movielens/ml-100k.zip", "/movielens/ml-100k.zip.md5")) {
        String to = target + (path.endsWith(".md5") ? ".md5" : "");
        routes.put(path, exchange -> {
          exchange.getResponseHeaders().add("Location", to);
          exchange.sendResponseHeaders(302, -1);
        });
      }
      DatasetDownloader following = new DatasetDownloader(
          HttpClient.newHttpClient(),
          "http://127.0.0.1:" + server.getAddress().getPort() + "/movielens/", (task, total) -> Progress.silent(task));
      IOException e = assertThrows(IOException.class, () -> following.download(DatasetSpec.ML_100K, cache.resolve("ml-100k.zip")));
      assertTrue(e.getMessage().contains("was redirected to " + target) && e.getMessage().contains("not https"), e.getMessage());
      assertFalse(Files.exists(cache.resolve("ml-100k.zip")));
    } finally {
      elsewhere.stop(0);
    }
  }

  /** Redirects that keep to the rule (here: within this machine) are followed, hop by hop. */
  @Test
  void download_redirectWithinTheRule_isFollowed() throws IOException {
    byte[] zip = Files.readAllBytes(TestData.archive("ml-latest-small"));
    routes.put("/movielens/ml-latest-small.zip", exchange -> {
      exchange.getResponseHeaders().add("Location", "/mirror/ml-latest-small.zip");
      exchange.sendResponseHeaders(302, -1);
    });
    routes.put("/mirror/ml-latest-small.zip", body(zip));
    Path got = downloader().download(DatasetSpec.ML_LATEST_SMALL, cache.resolve("ml-latest-small.zip"));
    assertArrayEquals(zip, Files.readAllBytes(got));
  }
}
