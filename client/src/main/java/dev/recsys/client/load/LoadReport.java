package dev.recsys.client.load;

import dev.recsys.models.console.TextTable;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.plots.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.XYChart;
import tools.jackson.databind.node.ObjectNode;

/** The outcome of a load run as text (ghz-like), JSON and plots. */
public final class LoadReport {

  static final double[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99, 99.9};
  /** What the report says of the open loop's send lag (the median, the tail). */
  static final double[] SEND_LAG_PERCENTILES = {50, 99, 99.9};

  private final LoadRunner.Result result;
  private final LoadRecorder recorder;
  private final Histogram total;
  private final Histogram succeeded;
  private final Histogram sendLag;
  private final Map<String, Object> settings;
  private final List<ReportSection> sections;

  public LoadReport(LoadRunner.Result result, LoadRecorder recorder, Map<String, Object> settings) {
    this(result, recorder, settings, List.of());
  }

  /** With sections observed beside the calls (promotions, server memory). */
  public LoadReport(LoadRunner.Result result, LoadRecorder recorder, Map<String, Object> settings, List<ReportSection> sections) {
    this.result = result;
    this.recorder = recorder;
    this.total = recorder.total();
    this.succeeded = recorder.succeeded();
    this.sendLag = recorder.sendLag();
    this.settings = settings;
    this.sections = List.copyOf(sections);
  }

  /** Calls that did not succeed. */
  /** Calls that failed, and calls the open loop could not send (they have no latency, so are not in {@code total}). */
  public long failures() {
    return total.getTotalCount() - succeeded.getTotalCount() + result.dropped();
  }

  /** Latency percentile of the successful calls only (under overload: of the admitted ones). */
  public double succeededPercentileMillis(double p) {
    return succeeded.getValueAtPercentile(p) / 1000.0;
  }

  /** Whether a section saw a broken guarantee. */
  public boolean sectionFailed() {
    return sections.stream().anyMatch(ReportSection::failed);
  }

  public double throughput() {
    return total.getTotalCount() / (result.measured().toNanos() / 1e9);
  }

  public double percentileMillis(double p) {
    return total.getValueAtPercentile(p) / 1000.0;
  }

  public long count() {
    return total.getTotalCount();
  }

  public Map<String, Long> codes() {
    return recorder.codes();
  }

  static String ms(double micros) {
    return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("Summary:\n");
    sb.append(String.format(Locale.ROOT, "  Mode:         %s loop, %s%n", result.mode(),
        result.mode().equals("open") ? String.format(Locale.ROOT, "%,.0f requests/s offered", result.target())
            : String.format(Locale.ROOT, "%.0f calls outstanding", result.target())));
    sb.append(String.format(Locale.ROOT, "  Count:        %,d%n", total.getTotalCount()));
    sb.append(String.format(Locale.ROOT, "  Total:        %.2f s%n", result.measured().toNanos() / 1e9));
    sb.append("  Slowest:      ").append(ms(total.getMaxValue())).append('\n');
    sb.append("  Fastest:      ").append(ms(total.getMinValue())).append('\n');
    sb.append("  Average:      ").append(ms(total.getMean())).append('\n');
    sb.append(String.format(Locale.ROOT, "  Requests/sec: %,.1f%n", throughput()));
    if (result.dropped() > 0) {
      sb.append(String.format(Locale.ROOT, "  Not sent:     %,d (more than %,d outstanding: the client could not keep the rate)%n",
          result.dropped(), LoadRunner.MAX_OUTSTANDING));
    }
    sb.append("\nResponse time histogram:\n");
    sb.append(histogramBars());
    sb.append("\nLatency distribution:\n");
    for (double p : PERCENTILES) {
      sb.append(String.format(Locale.ROOT, "  %5s %% in %s%n", trim(p), ms(total.getValueAtPercentile(p))));
    }
    Map<Operation, Histogram> ops = recorder.byOperation();
    if (ops.size() > 1) {
      sb.append("\nBy operation:\n");
      TextTable t = new TextTable("operation", "count", "req/s", "p50", "p99", "max");
      ops.forEach((op, h) -> t.row(op.label(), String.format(Locale.ROOT, "%,d", h.getTotalCount()),
          String.format(Locale.ROOT, "%,.1f", h.getTotalCount() / (result.measured().toNanos() / 1e9)),
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue())));
      sb.append(t.render().indent(2));
    }
    if (failures() > 0 && succeeded.getTotalCount() > 0) {
      sb.append(String.format(Locale.ROOT, "%nLatency of the %,d successful calls (refusals left out):%n", succeeded.getTotalCount()));
      for (double p : new double[] {50, 90, 99, 99.9}) {
        sb.append(String.format(Locale.ROOT, "  %5s %% in %s%n", trim(p), ms(succeeded.getValueAtPercentile(p))));
      }
    }
    if (sendLag.getTotalCount() > 0) {
      sb.append("\nClient send lag (how late this client sent its calls after their intended times; in every latency above):\n");
      for (double p : SEND_LAG_PERCENTILES) {
        sb.append(String.format(Locale.ROOT, "  %5s %% in %s%n", trim(p), ms(sendLag.getValueAtPercentile(p))));
      }
      sb.append("  max     ").append(ms(sendLag.getMaxValue())).append('\n');
    }
    sb.append("\nStatus code distribution:\n");
    recorder.codes().forEach((code, n) -> sb.append(String.format(Locale.ROOT, "  [%s]   %,d responses%n", code, n)));
    Map<String, Long> errors = recorder.errors();
    if (!errors.isEmpty()) {
      sb.append("\nError distribution:\n");
      errors.forEach((e, n) -> sb.append(String.format(Locale.ROOT, "  [%,d]   %s%n", n, e)));
    }
    sections.forEach(section -> sb.append(section.text()));
    return sb.toString();
  }

  private static String trim(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }

  /** Ten buckets from fastest to slowest, bars scaled to the fullest. */
  private String histogramBars() {
    if (total.getTotalCount() == 0) {
      return "  (no responses)\n";
    }
    long min = total.getMinValue();
    long max = total.getMaxValue();
    int buckets = 10;
    long[] counts = new long[buckets + 1];
    double width = Math.max(1, (max - min) / (double) buckets);
    for (HistogramIterationValue v : total.recordedValues()) {
      int b = (int) Math.min(buckets, (v.getValueIteratedTo() - min) / width);
      counts[b] += v.getCountAtValueIteratedTo();
    }
    long top = java.util.Arrays.stream(counts).max().orElse(1);
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b <= buckets; b++) {
      int bar = (int) Math.round(40.0 * counts[b] / top);
      sb.append(String.format(Locale.ROOT, "  %9.3f [%d]\t|%s%n", (min + b * width) / 1000.0, counts[b], "■".repeat(bar)));
    }
    return sb.toString();
  }

  public ObjectNode json() {
    ObjectNode root = Json.object();
    ObjectNode s = root.putObject("settings");
    settings.forEach((key, value) -> s.put(key, String.valueOf(value)));
    ObjectNode summary = root.putObject("summary");
    summary.put("mode", result.mode());
    summary.put("count", total.getTotalCount());
    summary.put("total_seconds", result.measured().toNanos() / 1e9);
    summary.put("requests_per_second", throughput());
    summary.put("fastest_ms", total.getMinValue() / 1000.0);
    summary.put("slowest_ms", total.getMaxValue() / 1000.0);
    summary.put("average_ms", total.getMean() / 1000.0);
    summary.put("not_sent", result.dropped());
    ObjectNode latency = root.putObject("latency_ms");
    for (double p : PERCENTILES) {
      latency.put("p" + trim(p).replace(".", "_"), total.getValueAtPercentile(p) / 1000.0);
    }
    ObjectNode ok = root.putObject("latency_succeeded_ms");
    ok.put("count", succeeded.getTotalCount());
    for (double p : PERCENTILES) {
      ok.put("p" + trim(p).replace(".", "_"), succeeded.getValueAtPercentile(p) / 1000.0);
    }
    if (sendLag.getTotalCount() > 0) {
      ObjectNode lag = root.putObject("send_lag_ms");
      lag.put("count", sendLag.getTotalCount());
      for (double p : SEND_LAG_PERCENTILES) {
        lag.put("p" + trim(p).replace(".", "_"), sendLag.getValueAtPercentile(p) / 1000.0);
      }
      lag.put("max", sendLag.getMaxValue() / 1000.0);
    }
    ObjectNode ops = root.putObject("operations");
    recorder.byOperation().forEach((op, h) -> {
      ObjectNode o = ops.putObject(op.label());
      o.put("count", h.getTotalCount());
      o.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
      o.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
    });
    ObjectNode codes = root.putObject("status_codes");
    recorder.codes().forEach(codes::put);
    ObjectNode errors = root.putObject("errors");
    recorder.errors().forEach(errors::put);
    var timeline = root.putArray("timeline");
    for (LoadRecorder.Interval i : recorder.timeline()) {
      ObjectNode t = timeline.addObject();
      t.put("at_s", i.atSeconds());
      t.put("count", i.count());
      t.put("p50_ms", i.p50Millis());
      t.put("p99_ms", i.p99Millis());
      t.put("max_ms", i.maxMillis());
    }
    sections.forEach(section -> section.json(root));
    return root;
  }

  public void writeJson(Path file) throws IOException {
    java.nio.file.Files.write(file, Json.MAPPER.writeValueAsBytes(json()));
  }

  /** Latency by percentile (log scale of 1/(1-p)) and latency over time; returns the two files. */
  public List<Path> writePlots(Path dir, String name) throws IOException {
    List<Path> files = new ArrayList<>();
    XYChart percentiles = Charts.xy("Latency by percentile (" + result.mode() + " loop)", "percentile", "latency (ms)");
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (var v : total.percentiles(5)) {
      double p = v.getPercentileLevelIteratedTo();
      if (p >= 100) {
        break;
      }
      // Nines on a linear axis: 0 = 0th, 1 = 90th, 2 = 99th, 3 = 99.9th percentile. (xchart's own
      // logarithmic axis can loop forever computing ticks for such ranges.)
      double nines = Math.log10(1 / (1 - p / 100));
      if (nines > 5) {
        break;
      }
      x.add(nines);
      y.add(v.getValueIteratedTo() / 1000.0);
    }
    if (!x.isEmpty()) {
      Charts.line(percentiles, "latency", x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray())
          .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
      percentiles.setCustomXAxisTickLabelsFormatter(v -> trim(Math.round(100 * (1 - Math.pow(10, -v)) * 1000) / 1000.0) + "%");
      files.add(Charts.save(percentiles, dir, name + "-percentiles"));
    }
    List<LoadRecorder.Interval> timeline = recorder.timeline();
    if (timeline.size() > 1) {
      XYChart overTime = Charts.xy("Latency over time (" + result.mode() + " loop)", "seconds", "latency (ms)");
      double[] t = timeline.stream().mapToDouble(LoadRecorder.Interval::atSeconds).toArray();
      Charts.line(overTime, "p50", t, timeline.stream().mapToDouble(LoadRecorder.Interval::p50Millis).toArray());
      Charts.line(overTime, "p99", t, timeline.stream().mapToDouble(LoadRecorder.Interval::p99Millis).toArray());
      Charts.line(overTime, "max", t, timeline.stream().mapToDouble(LoadRecorder.Interval::maxMillis).toArray());
      files.add(Charts.save(overTime, dir, name + "-over-time"));
    }
    for (ReportSection section : sections) {
      files.addAll(section.plots(dir, name));
    }
    return files;
  }
}
