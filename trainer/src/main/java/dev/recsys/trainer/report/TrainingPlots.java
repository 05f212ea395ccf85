package dev.recsys.trainer.report;

import dev.recsys.models.plots.Charts;
import dev.recsys.trainer.mf.EpochStats;
import dev.recsys.trainer.rating.ElbowCurve;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/** Plots of a training run: learning curves, K-Means elbows, forest feature importances. */
public final class TrainingPlots {

  private TrainingPlots() {}

  /**
   * The training error and the validation metric per epoch; epochs without validation (fine-tuning
   * on all training data) appear only in the training line.
   *
   * @param lossIsMse the training loss is a mean squared error: plot its square root, comparable to
   *     a validation RMSE
   */
  public static Path curve(List<EpochStats> curve, String title, String metricName, boolean lossIsMse, Path dir, String name)
      throws IOException {
    return curve(curve, title, "epoch", metricName, lossIsMse, dir, name);
  }

  /** As above, with the x axis named {@code xName} (e.g. trees); a curve without training losses plots the validation line only. */
  public static Path curve(List<EpochStats> curve, String title, String xName, String metricName, boolean lossIsMse, Path dir, String name)
      throws IOException {
    XYChart chart = Charts.xy(title, xName, lossIsMse ? "RMSE" : "value");
    double[] epochs = curve.stream().mapToDouble(EpochStats::epoch).toArray();
    if (curve.stream().anyMatch(e -> !Double.isNaN(e.trainLoss()))) {
      Charts.line(chart, lossIsMse ? "training RMSE (mean over the epoch's batches)" : "training loss", epochs,
          curve.stream().mapToDouble(e -> lossIsMse ? Math.sqrt(e.trainLoss()) : e.trainLoss()).toArray());
    }
    List<EpochStats> validated = curve.stream().filter(e -> !Double.isNaN(e.validationMetric())).toList();
    if (!validated.isEmpty()) {
      Charts.line(chart, metricName, validated.stream().mapToDouble(EpochStats::epoch).toArray(),
          validated.stream().mapToDouble(EpochStats::validationMetric).toArray());
    }
    return Charts.save(chart, dir, name);
  }

  /** Inertia against k for each user representation, with the chosen knee in the legend. */
  public static Path elbows(Map<String, ElbowCurve> elbows, Path dir) throws IOException {
    XYChart chart = Charts.xy("K-Means elbow (inertia, normalised to k=2)", "k (segments)", "inertia / inertia at k=2");
    for (var e : elbows.entrySet()) {
      ElbowCurve c = e.getValue();
      double[] x = new double[c.ks().length];
      double[] y = new double[c.ks().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = c.ks()[i];
        y[i] = c.inertia()[i] / c.inertia()[0];
      }
      Charts.line(chart, e.getKey() + " (knee at k=" + c.knee() + ")", x, y);
    }
    return Charts.save(chart, dir, "kmeans-elbow");
  }

  /** Forest feature importances, largest first. */
  public static Path importances(Map<String, Double> importances, Path dir) throws IOException {
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(importances.entrySet());
    sorted.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
    double total = sorted.stream().mapToDouble(Map.Entry::getValue).sum();
    return Charts.save(
        Charts.bars("Random Forest feature importance", "feature", "share of impurity decrease",
            sorted.stream().map(Map.Entry::getKey).toList(),
            sorted.stream().map(e -> total == 0 ? 0 : e.getValue() / total).toList()),
        dir, "forest-importance");
  }
}
