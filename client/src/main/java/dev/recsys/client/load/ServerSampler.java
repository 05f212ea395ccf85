package dev.recsys.client.load;

import dev.recsys.models.plots.Charts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Samples the server's memory from its Prometheus endpoint while load runs: heap in use, the old
 * generation after the last collection (what a leak grows), the process's resident memory (what
 * the kernel and the container limit see: libtorch's native memory included), and how many model
 * versions are loaded. The report compares the first and last quarter of the run and plots the
 * samples with the promotions marked.
 */
public final class ServerSampler implements ReportSection, AutoCloseable {

  /** One scrape; NaN where the server did not export the figure. */
  public record Sample(double atSeconds, double heapMb, double oldGenAfterGcMb, double rssMb, int versionsLoaded) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
  private static final Pattern VERSION_LABEL = Pattern.compile("version=\"(\\d+)\"");

  private final URI url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("server-sampler").daemon().factory());
  private final List<Sample> samples = new ArrayList<>();
  private final long start;
  private final Supplier<double[]> markers;
  private volatile String lastError;

  /**
   * @param markers times (seconds since start) to mark on the plot, e.g. promotions
   * @param startNanos {@link System#nanoTime()} at the start of the run, the origin of sample times
   */
  public ServerSampler(URI url, Supplier<double[]> markers, long startNanos) {
    this.url = url;
    this.markers = markers;
    this.start = startNanos;
  }

  public ServerSampler start(Duration every) {
    scheduler.scheduleAtFixedRate(this::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void sample() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        lastError = "HTTP " + r.statusCode();
        return;
      }
      Sample s = parse((System.nanoTime() - start) / 1e9, r.body());
      synchronized (samples) {
        samples.add(s);
      }
    } catch (IOException e) {
      lastError = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads the figures out of a Prometheus text exposition. */
  static Sample parse(double atSeconds, String text) {
    double heap = Double.NaN;
    double oldGen = Double.NaN;
    double rss = Double.NaN;
    Set<String> versions = new HashSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      String name = m.group(1);
      String labels = m.group(2) == null ? "" : m.group(2);
      double value;
      try {
        value = Double.parseDouble(m.group(3));
      } catch (NumberFormatException e) {
        continue;
      }
      switch (name) {
        case "jvm_memory_bytes_used" -> {
          if (labels.contains("area=\"heap\"")) {
            heap = value / (1 << 20);
          }
        }
        case "jvm_memory_pool_collection_used_bytes" -> {
          if (labels.contains("Old Gen") || labels.contains("Tenured")) {
            oldGen = value / (1 << 20);
          }
        }
        case "process_resident_memory_bytes" -> rss = value / (1 << 20);
        case "recsys_model_version_info" -> {
          Matcher v = VERSION_LABEL.matcher(labels);
          if (value > 0 && v.find()) {
            versions.add(v.group(1));
          }
        }
        default -> { }
      }
    }
    return new Sample(atSeconds, heap, oldGen, rss, versions.size());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Median of a figure over the samples in [from, to) of the run's share of time. */
  private static double median(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f, double from, double to) {
    int a = (int) Math.floor(s.size() * from);
    int b = Math.max(a + 1, (int) Math.floor(s.size() * to));
    double[] v = s.subList(a, Math.min(b, s.size())).stream().mapToDouble(f).filter(Double::isFinite).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  @Override
  public String text() {
    List<Sample> s = samples();
    StringBuilder sb = new StringBuilder("\nServer memory (from " + url + "):\n");
    if (s.size() < 4) {
      sb.append("  too few samples (").append(s.size()).append(")").append(lastError == null ? "" : ": " + lastError).append('\n');
      return sb.toString();
    }
    sb.append(String.format(Locale.ROOT, "  %d samples; medians of the first and last quarter of the run:%n", s.size()));
    sb.append(line("heap in use", median(s, Sample::heapMb, 0, 0.25), median(s, Sample::heapMb, 0.75, 1)));
    sb.append(line("old gen after GC", median(s, Sample::oldGenAfterGcMb, 0, 0.25), median(s, Sample::oldGenAfterGcMb, 0.75, 1)));
    sb.append(line("resident (RSS)", median(s, Sample::rssMb, 0, 0.25), median(s, Sample::rssMb, 0.75, 1)));
    sb.append(String.format(Locale.ROOT, "  versions loaded at once: at most %d%n", s.stream().mapToInt(Sample::versionsLoaded).max().orElse(0)));
    return sb.toString();
  }

  private static String line(String what, double first, double last) {
    return String.format(Locale.ROOT, "  %-18s %8.1f MB -> %8.1f MB (%+.1f%%)%n", what, first, last, 100 * (last - first) / first);
  }

  @Override
  public void json(ObjectNode root) {
    ArrayNode a = root.putArray("server_samples");
    for (Sample s : samples()) {
      ObjectNode o = a.addObject();
      o.put("at_s", s.atSeconds());
      o.put("heap_mb", s.heapMb());
      o.put("old_gen_after_gc_mb", s.oldGenAfterGcMb());
      o.put("rss_mb", s.rssMb());
      o.put("versions_loaded", s.versionsLoaded());
    }
  }

  @Override
  public List<Path> plots(Path dir, String name) throws IOException {
    List<Sample> s = samples();
    if (s.size() < 2) {
      return List.of();
    }
    XYChart chart = Charts.xy("Server memory under load", "seconds", "MB");
    double[] t = s.stream().mapToDouble(Sample::atSeconds).toArray();
    series(chart, "heap in use", t, s.stream().mapToDouble(Sample::heapMb).toArray());
    series(chart, "old gen after GC", t, s.stream().mapToDouble(Sample::oldGenAfterGcMb).toArray());
    series(chart, "resident (RSS)", t, s.stream().mapToDouble(Sample::rssMb).toArray());
    double[] marks = markers.get();
    if (marks.length > 0) {
      double top = s.stream().mapToDouble(Sample::rssMb).filter(Double::isFinite).max().orElse(1);
      double[] y = new double[marks.length];
      Arrays.fill(y, top * 1.02);
      var promotions = Charts.line(chart, "promotion", marks, y);
      promotions.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
      promotions.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.TRIANGLE_DOWN);
    }
    return List.of(Charts.save(chart, dir, name + "-server-memory"));
  }

  private static void series(XYChart chart, String name, double[] t, double[] y) {
    if (Arrays.stream(y).anyMatch(Double::isFinite)) {
      double[] clean = Arrays.stream(y).map(v -> Double.isFinite(v) ? v : 0).toArray();
      Charts.line(chart, name, t, clean).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    }
  }
}
