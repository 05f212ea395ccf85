package dev.recsys.trainer.report;

import dev.recsys.models.manifest.Json;
import dev.recsys.models.plots.Charts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import tools.jackson.databind.JsonNode;

/**
 * The training scale benchmark's report: one run per data size (each a folder holding the
 * {@code train --timings} JSON and GNU time's {@code -v} output), as a Markdown table of wall time
 * and peak memory per stage with quality beside it, and a log-log plot of each stage's time against
 * the number of ratings with a line of linear growth for reference.
 */
public final class ScaleReport {

  /** One training run: its {@code --timings} record and the process's wall time and peak RSS. */
  public record Run(String name, JsonNode timings, double wallSeconds, long peakRssBytes) {
    long ratings() {
      return timings.path("ratings").asLong();
    }
  }

  private static final Pattern RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
  private static final Pattern WALL = Pattern.compile("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): ([0-9:.]+)");

  private ScaleReport() {}

  /** Reads every run folder under {@code dir} (those with a {@code timings.json}), smallest first. */
  public static List<Run> read(Path dir) throws IOException {
    List<Run> runs = new ArrayList<>();
    try (Stream<Path> folders = Files.list(dir)) {
      for (Path f : folders.sorted().toList()) {
        Path timings = f.resolve("timings.json");
        if (!Files.isRegularFile(timings)) {
          continue;
        }
        JsonNode t = Json.MAPPER.readTree(timings.toFile());
        double wall = t.path("seconds").asDouble();
        long rss = -1;
        Path time = f.resolve("time.txt");
        if (Files.isRegularFile(time)) {
          String text = Files.readString(time, StandardCharsets.UTF_8);
          Matcher m = RSS.matcher(text);
          if (m.find()) {
            rss = Long.parseLong(m.group(1)) * 1024;
          }
          Matcher w = WALL.matcher(text);
          if (w.find()) {
            wall = clock(w.group(1));
          }
        }
        runs.add(new Run(f.getFileName().toString(), t, wall, rss));
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no run folders with a timings.json under " + dir);
    }
    runs.sort(Comparator.comparingLong(Run::ratings));
    return runs;
  }

  /** h:mm:ss, m:ss or m:ss.ss as seconds. */
  static double clock(String text) {
    double seconds = 0;
    for (String part : text.split(":")) {
      seconds = seconds * 60 + Double.parseDouble(part);
    }
    return seconds;
  }

  /** Writes {@code scale.md} and {@code scale-stages.png} into {@code out}. */
  public static void write(List<Run> runs, Path out, String machine) throws IOException {
    Files.createDirectories(out);
    Set<String> stages = new LinkedHashSet<>();
    for (Run r : runs) {
      r.timings().path("stages").propertyNames().forEach(stages::add);
    }
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(machine).append("\n\n");
    md.append("| stage |");
    runs.forEach(r -> md.append(' ').append(String.format(Locale.ROOT, "%,d ratings", r.ratings())).append(" |"));
    md.append("\n|---|");
    runs.forEach(r -> md.append("---:|"));
    md.append('\n');
    row(md, "users / movies", runs, r -> String.format(Locale.ROOT, "%,d / %,d", r.timings().path("users").asInt(), r.timings().path("movies").asInt()));
    row(md, "**wall time**", runs, r -> "**" + duration(r.wallSeconds()) + "**");
    row(md, "peak RSS (heap limit)", runs, r -> (r.peakRssBytes() < 0 ? "?" : gib(r.peakRssBytes())) + " (" + gib(r.timings().path("heap_max_bytes").asLong()) + ")");
    for (String stage : stages) {
      row(md, stage, runs, r -> r.timings().path("stages").has(stage) ? duration(r.timings().path("stages").path(stage).asDouble()) : "-");
    }
    row(md, "rating model (validation RMSE)", runs, r -> String.format(Locale.ROOT, "%s %.4f", r.timings().path("quality").path("rating_selected").asString(),
        r.timings().path("quality").path("rating_validation_rmse").asDouble()));
    row(md, "generator's noise floor (RMSE)", runs, r -> fmt(r.timings().path("quality").path("noise_floor_rmse")));
    row(md, "top-N model (validation NDCG@10)", runs, r -> String.format(Locale.ROOT, "%s %.4f", r.timings().path("quality").path("ranking_selected").asString(),
        r.timings().path("quality").path("ranking_validation_ndcg_at_10").asDouble()));
    row(md, "popularity (validation NDCG@10)", runs, r -> fmt(r.timings().path("quality").path("ranking_validation_ndcg").path("popularity")));
    row(md, "planted segments recovered (ARI)", runs, r -> fmt(r.timings().path("quality").path("planted_segments_ari")));
    Files.writeString(out.resolve("scale.md"), md.toString(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("scale.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(runs.stream().map(r -> {
      var o = Json.object();
      o.put("name", r.name());
      o.put("wall_seconds", r.wallSeconds());
      o.put("peak_rss_bytes", r.peakRssBytes());
      o.set("timings", r.timings());
      return o;
    }).toList()), StandardCharsets.UTF_8);
    Charts.save(plot(runs, stages), out, "scale-stages");
  }

  private static XYChart plot(List<Run> runs, Set<String> stages) {
    XYChart chart = Charts.xy("train: wall time per stage against data size", "ratings", "seconds");
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(9f));
    double[] x = runs.stream().mapToDouble(Run::ratings).toArray();
    Charts.line(chart, "total", x, runs.stream().mapToDouble(Run::wallSeconds).toArray());
    // Linear growth from the smallest run's total, for reference.
    double base = runs.getFirst().wallSeconds() / runs.getFirst().ratings();
    chart.addSeries("linear in ratings", x, runs.stream().mapToDouble(r -> base * r.ratings()).toArray())
        .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    Map<String, double[]> lines = new LinkedHashMap<>();
    for (String stage : stages) {
      double[] y = runs.stream().mapToDouble(r -> Math.max(0.01, r.timings().path("stages").path(stage).asDouble(0.01))).toArray();
      // Only stages that take a visible share somewhere, or the plot is unreadable.
      if (java.util.Arrays.stream(y).max().orElse(0) >= 0.03 * runs.getLast().wallSeconds()) {
        lines.put(stage.replace("rating models: ", "rating: ").replace("top-N models: ", "top-N: "), y);
      }
    }
    lines.forEach((name, y) -> Charts.line(chart, name.length() > 48 ? name.substring(0, 48) + "…" : name, x, y));
    return chart;
  }

  private interface Cell {
    String of(Run r);
  }

  private static void row(StringBuilder md, String name, List<Run> runs, Cell cell) {
    md.append("| ").append(name).append(" |");
    runs.forEach(r -> md.append(' ').append(cell.of(r)).append(" |"));
    md.append('\n');
  }

  private static String fmt(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? "-" : String.format(Locale.ROOT, "%.4f", n.asDouble());
  }

  private static String duration(double s) {
    long rounded = Math.round(s);
    return rounded >= 60 ? String.format(Locale.ROOT, "%dm%02ds", rounded / 60, rounded % 60) : String.format(Locale.ROOT, "%.1fs", s);
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
