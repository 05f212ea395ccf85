package dev.recsys.models.plots;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds and saves the project's charts with one look: white background, legend inside, PNG at a
 * readable size. Headless (no display needed).
 */
public final class Charts {

  public static final int WIDTH = 900;
  public static final int HEIGHT = 520;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A line chart; add series with {@link #line}. */
  public static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(5);
    return chart;
  }

  /** Adds a line with markers. */
  public static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
  }

  /** A bar chart with the given categories and one series of values. */
  public static CategoryChart bars(String title, String xTitle, String yTitle, List<String> categories, List<? extends Number> values) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 8 ? 45 : 0);
    chart.addSeries(yTitle, categories, values);
    return chart;
  }

  /** A bar chart with several series over the same categories (grouped bars). */
  public static CategoryChart groupedBars(String title, String xTitle, String yTitle, List<String> categories,
      java.util.Map<String, List<? extends Number>> series) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 5 ? 30 : 0);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    return chart;
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setChartTitleBoxVisible(false);
    s.setPlotBorderVisible(false);
    s.setAntiAlias(true);
  }

  /** Saves a chart as {@code <dir>/<name>.png} and returns the file. */
  /**
   * A heat map of {@code values[row][column]} (e.g. correlations in [-1, 1]), rows bottom to top as
   * given, with a diverging colour scale.
   */
  public static org.knowm.xchart.HeatMapChart heatMap(String title, List<String> columns, List<String> rows, double[][] values, double min, double max) {
    org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(WIDTH).height(Math.max(HEIGHT, 40 + 22 * rows.size()))
        .title(title).build();
    chart.getStyler().setShowValue(true).setMin(min).setMax(max).setRangeColors(new Color[] {new Color(0x2166AC), Color.WHITE, new Color(0xB2182B)});
    chart.getStyler().setLegendVisible(true);
    List<Number[]> cells = new java.util.ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        cells.add(new Number[] {c, r, Math.round(values[r][c] * 100) / 100.0});
      }
    }
    chart.addSeries(title, columns, rows, cells);
    return chart;
  }

  public static Path save(Chart<?, ?> chart, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
