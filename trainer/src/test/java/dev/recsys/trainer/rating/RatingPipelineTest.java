package dev.recsys.trainer.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RatingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole rating pipeline on real ml-100k data, with small settings. */
class RatingPipelineTest {

  @Test
  void fit_ml100k_everyModelBeatsTheMean_andTheForestBeatsItsInputs() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold fold = Splits.holdout(data.ratings(), 0.2, 5);

    RatingPipeline.Fitted fitted =
        RatingPipeline.fit(data.catalog(), data.userIds(), fold.train(), data.scale(), Fixtures.quickRating(42), (s, t) -> Progress.silent(s));

    Map<String, RatingPredictor> models = fitted.predictors();
    assertEquals(java.util.List.of("baseline", "knn", "mf", "forest"), java.util.List.copyOf(models.keySet()));
    double meanOnly = RatingMetrics.of(fold.test(), (u, m) -> (float) fold.train().meanRating()).rmse();
    double baseline = RatingMetrics.of(fold.test(), models.get("baseline")).rmse();
    double knn = RatingMetrics.of(fold.test(), models.get("knn")).rmse();
    double forest = RatingMetrics.of(fold.test(), models.get("forest")).rmse();
    assertTrue(baseline < meanOnly - 0.05, "baseline " + baseline + " vs mean " + meanOnly);
    assertTrue(knn < baseline, "knn " + knn + " vs baseline " + baseline);
    assertTrue(forest < Math.min(knn, baseline), "forest " + forest + " vs knn " + knn);
    // Segments: centroids only, one profile each, both representations measured.
    var seg = fitted.segments();
    assertEquals(7, seg.segmentation().users().k());
    assertEquals(7, seg.segmentation().profiles().size());
    assertEquals(3, seg.validationRmse().size());
    assertEquals(seg.validationRmse().keySet(), seg.validationLogLikelihood().keySet());
    // k was fixed, so no elbow sweep ran.
    assertTrue(seg.elbows().isEmpty());
    // Validation RMSE of every model, from rows it was not fitted on (the forest's out of bag).
    assertEquals(models.keySet(), fitted.validationRmse().keySet());
    fitted.validationRmse().values().forEach(v -> assertTrue(v > 0.8 && v < 1.1, "validation RMSE " + v));
    // Every prediction is on the rating scale.
    for (int i = 0; i < fold.test().size(); i += 97) {
      float p = models.get("forest").predict(fold.test().user(i), fold.test().movie(i));
      assertTrue(p >= 1 && p <= 5, "prediction " + p);
    }
  }

  @Test
  void fit_withTheGibbsSampler_findsMovieClustersAgainInTheRedrawnSpace() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold fold = Splits.holdout(data.ratings(), 0.2, 5);
    RatingPipeline.Config config = Fixtures.quickRating(42);
    config = config.withMf(config.mf().withSolver(dev.recsys.trainer.mf.MfConfig.Solver.GIBBS));

    RatingPipeline.Fitted fitted = RatingPipeline.fit(data.catalog(), data.userIds(), fold.train(), data.scale(), config, (s, t) -> Progress.silent(s));

    assertEquals("gibbs", fitted.mf().solver());
    // The refit is a fresh chain, a new space: the published cluster descriptions must describe the
    // clusters the server assigns from the published centroids and factors (fit-part centroids in
    // the new space would not).
    var assigned = dev.recsys.models.segments.Assignments.of(fitted.segments().segmentation(), fitted.mf().model(), fitted.profiles());
    assertArrayEquals(fitted.segments().movieClusters(), assigned.movieClusters());
    assertArrayEquals(fitted.assignments().movieClusters(), assigned.movieClusters());
    int[] sizes = new int[fitted.segments().segmentation().movies().k()];
    for (int c : assigned.movieClusters()) {
      sizes[c]++;
    }
    assertTrue(java.util.Arrays.stream(sizes).max().orElseThrow() < 0.8 * data.catalog().size(), java.util.Arrays.toString(sizes));
    double forest = RatingMetrics.of(fold.test(), fitted.predictors().get("forest")).rmse();
    double mf = RatingMetrics.of(fold.test(), fitted.predictors().get("mf")).rmse();
    assertTrue(forest < mf, "forest " + forest + " vs mf " + mf);
  }
}
