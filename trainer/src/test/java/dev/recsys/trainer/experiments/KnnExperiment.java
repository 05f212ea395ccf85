package dev.recsys.trainer.experiments;

import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.neighbors.KnnBaseline;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.neighbors.NeighborBuilder;
import dev.recsys.trainer.rating.BaselineFitter;
import java.nio.file.Path;

/** Exploration harness (not a test). */
public final class KnnExperiment {
  public static void main(String[] a) throws Exception {
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(a[0]));
    Fold fold = Splits.folds(new dev.recsys.trainer.evaluation.Protocol.KFold(5), data.ratings(), 42, null).get(0);
    RatingScale scale = new RatingScale(data.layout() == dev.recsys.trainer.data.Layout.ML100K ? 1f : 0.5f, 5f);
    BiasModel base = BaselineFitter.fit(fold.train(), BaselineFitter.Config.defaults());
    for (double shrink : new double[] {50, 100}) {
      long t = System.nanoTime();
      ItemNeighbors nb = NeighborBuilder.build(fold.train(), base, new NeighborBuilder.Config(NeighborBuilder.Similarity.PEARSON_BASELINE, 200, shrink, 2, 2));
      double secs = (System.nanoTime() - t) / 1e9;
      var ur = fold.train().toUserRatings(data.userIds());
      for (int k : new int[] {20, 40, 80}) {
        double rmse = RatingMetrics.of(fold.test(), scale.clamped(new KnnBaseline(base, ur, nb, k))).rmse();
        System.out.printf("shrink %.0f k %d: %.4f (build %.1fs)%n", shrink, k, rmse, secs);
      }
    }
  }
}
