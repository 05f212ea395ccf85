package dev.recsys.trainer.experiments;

import dev.recsys.models.console.Progress;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.trainer.NativeSettings;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.mf.RatingMfTrainer;
import dev.recsys.trainer.rating.BaselineFitter;
import java.nio.file.Path;
import java.util.List;

/** Hyper-parameter exploration harness (not a test): java ... MfExperiment <zip> dim lr l2 biasL2 batch folds. */
public final class MfExperiment {
  public static void main(String[] a) throws Exception {
    NativeSettings.apply();
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(a[0]));
    MfConfig c = new MfConfig(Integer.parseInt(a[1]), Float.parseFloat(a[2]), Float.parseFloat(a[3]), Float.parseFloat(a[4]),
        Integer.parseInt(a[5]), 200, 5, Float.parseFloat(a.length > 7 ? a[7] : "0.05"), 42);
    int folds = Integer.parseInt(a[6]);
    List<Fold> fs = Splits.folds(new dev.recsys.trainer.evaluation.Protocol.KFold(5), data.ratings(), 42, null);
    float min = data.layout() == dev.recsys.trainer.data.Layout.ML100K ? 1f : 0.5f;
    RatingScale scale = new RatingScale(min, 5f);
    double sumMf = 0, sumBase = 0;
    for (int f = 0; f < folds; f++) {
      Fold fold = fs.get(f);
      Fold inner = Splits.holdout(fold.train(), 0.1, 7);
      long t = System.nanoTime();
      var r = RatingMfTrainer.train(inner.train(), inner.test(), c, Progress.silent("mf"));
      double mf = RatingMetrics.of(fold.test(), scale.clamped(r.model()::score)).rmse();
      double base = RatingMetrics.of(fold.test(), scale.clamped(BaselineFitter.fit(fold.train(), BaselineFitter.Config.defaults()))).rmse();
      sumMf += mf; sumBase += base;
      System.out.printf("fold %d: mf %.4f (best epoch %d, val %.4f, %.1fs, %.2fs/epoch) baseline %.4f%n", f, mf, r.bestEpoch(), r.validationRmse(),
          (System.nanoTime() - t) / 1e9, r.curve().stream().mapToDouble(e -> e.seconds()).average().orElse(0), base);
    }
    System.out.printf("MEAN mf %.4f baseline %.4f  config %s%n", sumMf / folds, sumBase / folds, c);
  }
}
