package dev.recsys.trainer.experiments;

import dev.recsys.models.console.Progress;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.trainer.NativeSettings;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.rating.RatingPipeline;
import java.nio.file.Path;

/** Exploration harness (not a test): java ... PipelineExperiment <zip> <folds> [blendShare]. */
public final class PipelineExperiment {
  public static void main(String[] a) throws Exception {
    NativeSettings.apply();
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(a[0]));
    RatingScale scale = new RatingScale(data.layout() == dev.recsys.trainer.data.Layout.ML100K ? 1f : 0.5f, 5f);
    var folds = Splits.folds(new dev.recsys.trainer.evaluation.Protocol.KFold(5), data.ratings(), 42, null);
    int n = Integer.parseInt(a[1]);
    var config = RatingPipeline.Config.defaults(42);
    if (a.length > 2) {
      config = new RatingPipeline.Config(Double.parseDouble(a[2]), config.fineTuneEpochs(), config.baseline(), config.neighborTable(), config.knnNeighbors(), config.mf(), config.segments(), config.forest(), 42);
    }
    if (a.length > 3) {
      String[] f = a[3].split(",");
      config = config.withForest(new dev.recsys.trainer.rating.ForestFitter.Config(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4]), 42));
    }
    java.util.Map<String, Double> sums = new java.util.LinkedHashMap<>();
    for (int f = 0; f < n; f++) {
      Fold fold = folds.get(f);
      long t = System.nanoTime();
      var fitted = RatingPipeline.fit(data.catalog(), data.userIds(), fold.train(), scale, config, (s, total) -> Progress.silent(s));
      StringBuilder line = new StringBuilder("fold " + f + ":");
      for (var e : fitted.predictors().entrySet()) {
        double rmse = RatingMetrics.of(fold.test(), e.getValue()).rmse();
        sums.merge(e.getKey(), rmse, Double::sum);
        line.append(String.format(" %s %.4f", e.getKey(), rmse));
      }
      System.out.println(line + String.format("  (%.1fs) seg=%s %s times=%s", (System.nanoTime() - t) / 1e9, fitted.segments().chosen(), fitted.segments().validationRmse(), fitted.seconds()));
    }
    StringBuilder line = new StringBuilder("MEAN:");
    sums.forEach((k, v) -> line.append(String.format(" %s %.4f", k, v / n)));
    System.out.println(line);
  }
}
