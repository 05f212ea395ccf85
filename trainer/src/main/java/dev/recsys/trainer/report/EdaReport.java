package dev.recsys.trainer.report;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.plots.Charts;
import dev.recsys.models.plots.HtmlReport;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exploratory report of a data set: {@code report.html} with plots of the rating distribution,
 * the long tails of ratings per user and per movie, genre popularity and mean rating, ratings over
 * time, mean rating by release year, and the data-quality table; plus {@code summary.json} with the
 * figures behind them.
 */
public final class EdaReport {

  private EdaReport() {}

  /** Writes the report into {@code out} and returns the summary. */
  public static ObjectNode write(MovieLensData data, Path out) throws IOException {
    Files.createDirectories(out);
    RatingsTable r = data.ratings();
    Catalog catalog = data.catalog();
    ObjectNode summary = Json.object();
    summary.put("dataset", data.name());
    summary.put("sha256", data.sha256());
    summary.put("ratings", r.size());
    summary.put("users", data.userIds().length);
    summary.put("movies", catalog.size());
    int[] movieCounts = r.movieCounts();
    long ratedMovies = Arrays.stream(movieCounts).filter(c -> c > 0).count();
    summary.put("rated_movies", ratedMovies);
    summary.put("density", (double) r.size() / ((double) data.userIds().length * catalog.size()));
    summary.put("mean_rating", r.meanRating());
    HtmlReport html = new HtmlReport("Exploratory analysis: " + data.name());
    html.paragraph(String.format(Locale.ROOT,
        "%,d ratings by %,d users of %,d movies (%,d of them rated at least once); the rating matrix is %.2f%% filled; mean rating %.3f.",
        r.size(), data.userIds().length, catalog.size(), ratedMovies, 100 * summary.get("density").asDouble(), r.meanRating()));

    // Rating distribution.
    TreeMap<Float, Long> distribution = new TreeMap<>();
    for (int i = 0; i < r.size(); i++) {
      distribution.merge(r.rating(i), 1L, Long::sum);
    }
    ObjectNode dist = summary.putObject("rating_distribution");
    distribution.forEach((k, v) -> dist.put(String.valueOf(k), v));
    html.heading("Rating distribution");
    html.image(Charts.save(Charts.bars("Rating distribution", "stars", "ratings",
        distribution.keySet().stream().map(String::valueOf).toList(), new ArrayList<>(distribution.values())), out, "rating-distribution"), "rating distribution");

    // Long tails.
    int[] userCounts = new int[r.numUsers()];
    for (int u = 0; u < r.numUsers(); u++) {
      userCounts[u] = r.userCount(u);
    }
    summary.set("ratings_per_user", describe(userCounts));
    summary.set("ratings_per_movie", describe(Arrays.stream(movieCounts).filter(c -> c > 0).toArray()));
    html.heading("Ratings per user and per movie (the long tail)");
    html.paragraph("Users and movies sorted by their number of ratings, on log-log axes: a few are rated or rate a lot, most very little.");
    XYChart tail = Charts.xy("Long tail: ratings per user and per movie, by rank", "rank (log)", "ratings (log)");
    tail.getStyler().setXAxisLogarithmic(true);
    tail.getStyler().setYAxisLogarithmic(true);
    addRankCurve(tail, "users", userCounts);
    addRankCurve(tail, "movies", Arrays.stream(movieCounts).filter(c -> c > 0).toArray());
    html.image(Charts.save(tail, out, "long-tail"), "long tail");

    // Genres.
    int genres = catalog.genres().size();
    long[] genreCount = new long[genres];
    double[] genreSum = new double[genres];
    for (int i = 0; i < r.size(); i++) {
      long mask = catalog.genreMask(r.movie(i));
      while (mask != 0) {
        int g = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        genreCount[g]++;
        genreSum[g] += r.rating(i);
      }
    }
    ArrayNode genreJson = summary.putArray("genres");
    Integer[] byCount = new Integer[genres];
    for (int g = 0; g < genres; g++) {
      byCount[g] = g;
    }
    Arrays.sort(byCount, (a, b) -> Long.compare(genreCount[b], genreCount[a]));
    List<String> names = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    for (int g : byCount) {
      double mean = genreCount[g] == 0 ? 0 : genreSum[g] / genreCount[g];
      names.add(catalog.genres().get(g));
      counts.add(genreCount[g]);
      means.add(mean);
      ObjectNode o = genreJson.addObject();
      o.put("genre", catalog.genres().get(g));
      o.put("ratings", genreCount[g]);
      o.put("mean_rating", mean);
    }
    html.heading("Genre popularity");
    html.image(Charts.save(Charts.bars("Ratings per genre", "genre", "ratings", names, counts), out, "genre-count"), "ratings per genre");
    var meanChart = Charts.bars("Mean rating per genre", "genre", "mean rating", names, means);
    meanChart.getStyler().setYAxisMin(1.0);
    html.image(Charts.save(meanChart, out, "genre-mean"), "mean rating per genre");

    // Over time.
    TreeMap<Integer, Long> perYear = new TreeMap<>();
    for (int i = 0; i < r.size(); i++) {
      perYear.merge(Instant.ofEpochSecond(r.timestamp(i)).atZone(ZoneOffset.UTC).getYear(), 1L, Long::sum);
    }
    ObjectNode time = summary.putObject("ratings_per_year");
    perYear.forEach((k, v) -> time.put(String.valueOf(k), v));
    html.heading("Ratings over time");
    html.image(Charts.save(Charts.bars("Ratings per year", "year", "ratings",
        perYear.keySet().stream().map(String::valueOf).toList(), new ArrayList<>(perYear.values())), out, "ratings-per-year"), "ratings per year");

    // Mean rating by release year.
    TreeMap<Integer, double[]> byRelease = new TreeMap<>();
    for (int i = 0; i < r.size(); i++) {
      int year = catalog.year(r.movie(i));
      if (year > 0) {
        double[] acc = byRelease.computeIfAbsent(year, y -> new double[2]);
        acc[0] += r.rating(i);
        acc[1]++;
      }
    }
    ObjectNode release = summary.putObject("mean_rating_by_release_year");
    List<Double> years = new ArrayList<>();
    List<Double> releaseMeans = new ArrayList<>();
    byRelease.forEach((y, acc) -> {
      if (acc[1] >= 20) {
        release.put(String.valueOf(y), acc[0] / acc[1]);
        years.add((double) y);
        releaseMeans.add(acc[0] / acc[1]);
      }
    });
    html.heading("Mean rating by release year");
    html.paragraph("Years with at least 20 ratings. Old films that are still rated are the ones that lasted, so they score higher.");
    XYChart releaseChart = Charts.xy("Mean rating by release year", "release year", "mean rating");
    releaseChart.getStyler().setLegendVisible(false);
    if (!years.isEmpty()) {
      Charts.line(releaseChart, "mean rating", years.stream().mapToDouble(Double::doubleValue).toArray(),
          releaseMeans.stream().mapToDouble(Double::doubleValue).toArray());
    }
    html.image(Charts.save(releaseChart, out, "mean-by-release-year"), "mean rating by release year");

    // Data quality.
    html.heading("Data quality");
    ArrayNode quality = summary.putArray("data_quality");
    List<List<String>> rows = new ArrayList<>();
    for (DataQuality.Entry e : data.quality().entries()) {
      rows.add(List.of(e.issue().name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%,d", e.count()),
          e.issue().action(), e.issue().why(), String.join(" | ", e.examples())));
      ObjectNode q = quality.addObject();
      q.put("issue", e.issue().name().toLowerCase(Locale.ROOT));
      q.put("count", e.count());
      q.put("action", e.issue().action());
      q.put("why", e.issue().why());
    }
    if (rows.isEmpty()) {
      html.paragraph("Nothing was dropped or fixed.");
    } else {
      html.table(List.of("issue", "count", "action", "why", "examples"), rows);
    }
    html.write(out.resolve("report.html"));
    AtomicFiles.write(out.resolve("summary.json"), Json.MAPPER.writeValueAsBytes(summary));
    return summary;
  }

  private static void addRankCurve(XYChart chart, String name, int[] counts) {
    int[] sorted = counts.clone();
    Arrays.sort(sorted);
    double[] x = new double[sorted.length];
    double[] y = new double[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      x[i] = i + 1;
      y[i] = Math.max(1, sorted[sorted.length - 1 - i]);
    }
    chart.addSeries(name, x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
  }

  private static ObjectNode describe(int[] counts) {
    int[] s = counts.clone();
    Arrays.sort(s);
    ObjectNode o = Json.object();
    o.put("min", s.length == 0 ? 0 : s[0]);
    o.put("median", s.length == 0 ? 0 : s[s.length / 2]);
    o.put("mean", Arrays.stream(s).average().orElse(0));
    o.put("p90", s.length == 0 ? 0 : s[(int) (s.length * 0.9)]);
    o.put("max", s.length == 0 ? 0 : s[s.length - 1]);
    // Share of all ratings held by the top 10% (how long the tail is).
    long total = Arrays.stream(s).asLongStream().sum();
    long top = 0;
    for (int i = s.length - 1; i >= s.length - Math.max(1, s.length / 10) && i >= 0; i--) {
      top += s[i];
    }
    o.put("top_10_percent_share", total == 0 ? 0 : (double) top / total);
    return o;
  }
}
