package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.client.connect.ConnectionOptions;
import dev.recsys.client.load.LoadRecorder;
import dev.recsys.client.load.LoadReport;
import dev.recsys.client.load.LoadRunner;
import dev.recsys.client.load.Promoter;
import dev.recsys.client.load.ReportSection;
import dev.recsys.client.load.RequestMix;
import dev.recsys.client.load.ServerSampler;
import dev.recsys.client.load.UserSampler;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.SampleUserIdsRequest;
import dev.recsys.proto.v1.ScoredMovie;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code load}: the load generator. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Load test a server: closed loop (--concurrency) or open loop at a constant rate (--rps), "
        + "with a request mix and realistic user ids; prints a ghz-style report.")
final class LoadCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--concurrency", defaultValue = "16", description = "Closed loop: calls kept outstanding (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--rps", description = "Open loop: requests per second, measured from their intended send times.")
  Double rps;

  @Option(names = "--duration", defaultValue = "30s", description = "Measured duration, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured warm-up first; an open loop ramps its rate up linearly over it (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--connections", defaultValue = "1", description = "Channels (HTTP/2 connections) to spread calls over (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--mix", defaultValue = "recommend=100",
      description = "Weighted operations: recommend, predict, similar, rate, cluster, health (default: ${DEFAULT-VALUE}).")
  String mix;

  @Option(names = "--users", defaultValue = "zipf:1.1", description = "User ids: uniform or zipf:<exponent> over the model's users (default: ${DEFAULT-VALUE}).")
  String users;

  @Option(names = "--unknown-share", defaultValue = "0.05", description = "Share of user ids the model does not know (default: ${DEFAULT-VALUE}).")
  double unknownShare;

  @Option(names = "--user-sample", defaultValue = "10000", description = "Known user ids fetched from the server (default: ${DEFAULT-VALUE}).")
  int userSample;

  @Option(names = "--k", defaultValue = "10", description = "k of each call (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--promote-every", description = "Soak: promote production to the next of --promote-versions at this interval, e.g. 10s (needs an admin credential).")
  String promoteEvery;

  @Option(names = "--promote-versions", split = ",", description = "Soak: versions to rotate production through, e.g. 1,2.")
  List<Long> promoteVersions;

  @Option(names = "--server-metrics", description = "Soak: the server's Prometheus URL (e.g. http://localhost:9091/metrics), sampled every second for heap and resident memory.")
  java.net.URI serverMetrics;

  @Option(names = "--max-failures", defaultValue = "-1",
      description = "Exit with 1 when more calls than this failed, or a promotion failed, or a retired version stayed loaded (default: report only).")
  long maxFailures;

  @Option(names = "--out", description = "Write the report as JSON.")
  Path out;

  @Option(names = "--plot", description = "Write latency plots (PNG) with this path prefix, e.g. reports/load.")
  Path plot;

  @Override
  public Integer call() throws Exception {
    require(concurrency >= 1 && concurrency <= 100_000, "--concurrency", concurrency, "[1, 100000]");
    require(connections >= 1 && connections <= 1_000, "--connections", connections, "[1, 1000]");
    require(rps == null || rps > 0 && rps <= 10_000_000, "--rps", rps, "(0, 10000000]");
    require(k >= 1, "--k", k, "[1, the server's limit]");
    require(unknownShare >= 0 && unknownShare <= 1, "--unknown-share", unknownShare, "[0, 1]");
    require(userSample >= 1 && userSample <= 100_000, "--user-sample", userSample, "[1, 100000]");
    Duration measured = parseDuration("--duration", duration, true);
    Duration warm = parseDuration("--warmup", warmup, false);
    RequestMix requestMix = RequestMix.parse(mix);
    double exponent = UserSampler.exponent(users);
    List<Connection> channels = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        channels.add(Connection.open(connection));
      }
      Connection first = channels.getFirst();
      long[] userIds = first.admin().sampleUserIds(SampleUserIdsRequest.newBuilder().setCount(userSample).setSeed(seed).build())
          .getUserIdsList().stream().mapToLong(Long::longValue).distinct().toArray();
      // The movies people ask about: the most popular ones, as a cold-start list gives them.
      long[] movies = first.recommender().recommend(RecommendRequest.newBuilder().setUserId(Long.MAX_VALUE / 2).setK(500).build())
          .getMoviesList().stream().map(ScoredMovie::getMovie).mapToLong(m -> m.getMovieId()).toArray();
      LoadRecorder recorder = new LoadRecorder();
      long startNanos = System.nanoTime();
      List<ReportSection> sections = new ArrayList<>();
      Promoter promoter = null;
      if (promoteEvery != null || promoteVersions != null) {
        if (promoteEvery == null || promoteVersions == null) {
          throw new IllegalArgumentException("--promote-every and --promote-versions go together");
        }
        promoter = new Promoter(first, promoteVersions, parseDuration("--promote-every", promoteEvery, true), Duration.ofSeconds(10), startNanos);
        sections.add(promoter);
      }
      ServerSampler sampler = null;
      if (serverMetrics != null) {
        Promoter p = promoter;
        sampler = new ServerSampler(serverMetrics, () -> p == null ? new double[0] : p.times(), startNanos).start(Duration.ofSeconds(1));
        sections.add(sampler);
      }
      LoadRunner runner = new LoadRunner(channels, requestMix, new UserSampler(userIds, exponent, unknownShare), movies, k,
          connection.deadline(), recorder);
      System.err.printf(Locale.ROOT, "load %s: %s loop %s, mix %s, %,d users (%s, %.0f%% unknown), warm-up %s, measuring %s%n",
          connection.target, rps == null ? "closed" : "open", rps == null ? concurrency + " outstanding" : String.format(Locale.ROOT, "%,.0f/s", rps),
          requestMix.weights(), userIds.length, users, 100 * unknownShare, warm, measured);
      long start = System.nanoTime();
      if (promoter != null) {
        promoter.start(warm);
      }
      java.util.function.Consumer<LoadRecorder.Interval> progress = i -> System.err.printf(Locale.ROOT,
          "  %5.1fs  %,7d req/s  p50 %7.3f ms  p99 %8.3f ms  max %8.3f ms%n", i.atSeconds(), i.count(), i.p50Millis(), i.p99Millis(), i.maxMillis());
      LoadRunner.Result result;
      try {
        result = rps == null
            ? runner.closedLoop(concurrency, warm, measured, seed, progress)
            : runner.openLoop(rps, warm, measured, seed, progress);
      } finally {
        if (promoter != null) {
          promoter.close();
        }
        if (sampler != null) {
          sampler.close();
        }
      }
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("target", connection.target);
      settings.put("mode", result.mode());
      settings.put(rps == null ? "concurrency" : "rps", result.target());
      settings.put("connections", connections);
      settings.put("mix", mix);
      settings.put("users", users);
      settings.put("unknown_share", unknownShare);
      settings.put("deadline_ms", connection.deadlineMillis);
      settings.put("duration_s", measured.toSeconds());
      settings.put("warmup_s", warm.toSeconds());
      settings.put("wall_s", (System.nanoTime() - start) / 1e9);
      if (promoter != null) {
        settings.put("promote_every", promoteEvery);
        settings.put("promote_versions", promoteVersions);
      }
      LoadReport report = new LoadReport(result, recorder, settings, sections);
      System.out.println();
      System.out.print(report.text());
      if (out != null) {
        report.writeJson(out);
        System.out.println("\nreport: " + out);
      }
      if (plot != null) {
        Path dir = plot.toAbsolutePath().getParent();
        for (Path p : report.writePlots(dir, plot.getFileName().toString())) {
          System.out.println("plot: " + p);
        }
      }
      if (maxFailures >= 0 && (report.failures() > maxFailures || report.sectionFailed())) {
        System.err.printf(Locale.ROOT, "load: %,d failed calls (allowed %,d)%s%n", report.failures(), maxFailures,
            report.sectionFailed() ? "; a promotion failed or a retired version stayed loaded" : "");
        return 1;
      }
      return 0;
    } finally {
      channels.forEach(Connection::close);
    }
  }

  private static void require(boolean ok, String option, Object value, String range) {
    if (!ok) {
      throw new IllegalArgumentException(option + " must be in " + range + ", got " + value);
    }
  }

  private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");
  private static final double DAY_MILLIS = 86_400_000;

  /**
   * A duration such as 30s, 2m, 500ms or 10 (seconds), at most a day; {@code positive}: at least a
   * millisecond too (a measured phase of zero would divide its counts by nothing).
   */
  static Duration parseDuration(String option, String text, boolean positive) {
    java.util.regex.Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " takes a duration such as 30s, 2m or 500ms, got '" + text + "'");
    }
    double n = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> n;
      case "m" -> n * 60_000;
      default -> n * 1_000;
    };
    if (millis > DAY_MILLIS || positive && millis < 1) {
      throw new IllegalArgumentException(option + " must be " + (positive ? "at least 1 ms" : "0 or more") + " and at most a day, got '" + text + "'");
    }
    return Duration.ofMillis((long) millis);
  }

}
