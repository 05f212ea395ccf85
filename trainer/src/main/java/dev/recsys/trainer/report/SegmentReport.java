package dev.recsys.trainer.report;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.plots.Charts;
import dev.recsys.models.plots.HtmlReport;
import dev.recsys.models.segments.SegmentProfile;
import dev.recsys.trainer.data.Demographics;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.RatingsTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the user segments are, as the original analysis related features to its groups: each
 * segment's size, mean rating, top genres and, where the data set has demographics (ml-100k's
 * {@code u.user}, ml-1m's {@code users.dat}), its age, gender and occupation mix; and a heat map of
 * how each user feature (genre affinity, activity, mean rating, demographics) correlates with
 * membership of each segment (Pearson correlation with the 0/1 membership indicator).
 */
public final class SegmentReport {

  /** Occupations shown as their own features (the most common ones). */
  static final int OCCUPATIONS = 6;

  private SegmentReport() {}

  /**
   * Adds the segment section to {@code html}.
   *
   * @param segments segment of every user (dense index)
   * @param profiles the published segment profiles (sizes, genres)
   * @param affinities users x genres affinity matrix, row-major
   */
  public static void write(HtmlReport html, MovieLensData data, int[] segments, List<SegmentProfile> profiles, float[] affinities, Path out)
      throws IOException {
    int k = profiles.size();
    Catalog catalog = data.catalog();
    RatingsTable ratings = data.ratings();
    int users = segments.length;
    Map<String, double[]> features = new LinkedHashMap<>();
    int genres = catalog.genres().size();
    for (int g = 0; g < genres; g++) {
      double[] f = new double[users];
      for (int u = 0; u < users; u++) {
        f[u] = affinities[u * genres + g];
      }
      features.put("likes " + catalog.genres().get(g), f);
    }
    double[] activity = new double[users];
    double[] mean = new double[users];
    for (int u = 0; u < users; u++) {
      activity[u] = Math.log1p(ratings.userCount(u));
      double sum = 0;
      for (int r = ratings.userStart(u); r < ratings.userEnd(u); r++) {
        sum += ratings.rating(r);
      }
      mean[u] = ratings.userCount(u) == 0 ? 0 : sum / ratings.userCount(u);
    }
    features.put("activity (log ratings)", activity);
    features.put("mean rating", mean);
    List<String> headers = new ArrayList<>(List.of("segment", "users", "mean rating", "top genres"));
    List<List<String>> rows = new ArrayList<>();
    Demographics demo = data.demographics().orElse(null);
    List<String> occupations = demo == null ? List.of() : commonOccupations(demo);
    if (demo != null) {
      headers.addAll(List.of("mean age", "women", "top occupations"));
      features.put("age", java.util.Arrays.stream(demo.ages()).asDoubleStream().toArray());
      double[] female = new double[users];
      for (int u = 0; u < users; u++) {
        female[u] = demo.genders()[u] == 'F' ? 1 : 0;
      }
      features.put("woman", female);
      for (String o : occupations) {
        double[] f = new double[users];
        for (int u = 0; u < users; u++) {
          f[u] = o.equals(demo.occupations()[u]) ? 1 : 0;
        }
        features.put("occupation " + o, f);
      }
    }
    for (SegmentProfile p : profiles) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(p.id()), Long.toString(count(segments, p.id())),
          String.format(Locale.ROOT, "%.2f", p.meanRating()),
          String.join(", ", p.topGenres().stream().limit(3).map(g -> String.format(Locale.ROOT, "%s %.0f%%", g.genre(), 100 * g.share())).toList())));
      if (demo != null) {
        row.addAll(demographicsOf(demo, segments, p.id()));
      }
      rows.add(row);
    }
    html.heading("Segment profiles");
    html.paragraph("Each segment's users, mean rating and most rated genres" + (demo == null ? "" : ", with the demographics the data set has") + ".");
    html.table(headers, rows);
    List<String> featureNames = new ArrayList<>(features.keySet());
    double[][] correlation = new double[featureNames.size()][k];
    for (int f = 0; f < featureNames.size(); f++) {
      for (int s = 0; s < k; s++) {
        correlation[f][s] = correlation(features.get(featureNames.get(f)), segments, s);
      }
    }
    List<String> columns = new ArrayList<>();
    for (int s = 0; s < k; s++) {
      columns.add("segment " + s);
    }
    html.paragraph("How each user feature correlates with membership of each segment (Pearson correlation with the 0/1 indicator; "
        + "red: members have more of it, blue: less).");
    html.image(Charts.save(Charts.heatMap("User features vs segment membership", columns, featureNames, correlation, -1, 1), out,
        "segment-features"), "segment feature correlations");
  }

  private static long count(int[] segments, int s) {
    return java.util.Arrays.stream(segments).filter(x -> x == s).count();
  }

  private static List<String> demographicsOf(Demographics demo, int[] segments, int s) {
    double age = 0;
    int aged = 0;
    int women = 0;
    int gendered = 0;
    Map<String, Integer> jobs = new LinkedHashMap<>();
    for (int u = 0; u < segments.length; u++) {
      if (segments[u] != s) {
        continue;
      }
      if (demo.ages()[u] >= 0) {
        age += demo.ages()[u];
        aged++;
      }
      if (demo.genders()[u] != 0) {
        gendered++;
        women += demo.genders()[u] == 'F' ? 1 : 0;
      }
      if (demo.occupations()[u] != null) {
        jobs.merge(demo.occupations()[u], 1, Integer::sum);
      }
    }
    int total = jobs.values().stream().mapToInt(Integer::intValue).sum();
    String top = String.join(", ", jobs.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(3).map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total)).toList());
    return List.of(aged == 0 ? "-" : String.format(Locale.ROOT, "%.1f", age / aged),
        gendered == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * women / gendered), top);
  }

  private static List<String> commonOccupations(Demographics demo) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String o : demo.occupations()) {
      if (o != null) {
        counts.merge(o, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(OCCUPATIONS).map(Map.Entry::getKey).toList();
  }

  /** Pearson correlation of a feature with membership of segment {@code s}; 0 when either is constant. */
  static double correlation(double[] feature, int[] segments, int s) {
    int n = segments.length;
    double mx = 0;
    double my = 0;
    for (int u = 0; u < n; u++) {
      mx += feature[u];
      my += segments[u] == s ? 1 : 0;
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int u = 0; u < n; u++) {
      double dx = feature[u] - mx;
      double dy = (segments[u] == s ? 1 : 0) - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }
}
