package dev.recsys.trainer.rating;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.rating.FeatureSources;
import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A forest reads the features it was trained on from its own schema: one trained before the
 * implicit score existed still serves (the version's new factors are ignored), one that needs the
 * implicit score is refused where the version has no implicit factors.
 */
class ForestFeaturesTest {

  @Test
  void forest_schemaDecidesItsFeatures_olderForestsServe_andMissingImplicitFactorsAreRefused() {
    MovieLensData data = Fixtures.data("ml-100k");
    Fold fold = Splits.holdout(data.ratings(), 0.2, 3);
    RatingPipeline.Fitted f = RatingPipeline.fit(data.catalog(), data.userIds(), fold.train(), data.scale(), Fixtures.quickRating(3),
        (s, t) -> Progress.silent(s));
    var seg = f.assignments();
    var implicit = f.segments().segmentation().implicit();
    assertTrue(implicit != null, "every version carries implicit factors now");
    HybridFeatures with = new HybridFeatures(new FeatureSources(f.mf().model(), f.baseline(), f.knn(), f.profiles(), data.catalog(),
        seg.userSegments(), seg.movieClusters(), implicit));
    HybridFeatures without = new HybridFeatures(new FeatureSources(f.mf().model(), f.baseline(), f.knn(), f.profiles(), data.catalog(),
        seg.userSegments(), seg.movieClusters(), null));
    var rows = fold.test().subset(java.util.stream.IntStream.range(0, 3000).toArray());
    ForestFitter.Config small = new ForestFitter.Config(5, 8, 200, 20, 1.0, 3, ForestFitter.DEFAULT_MAX_ROWS);

    ForestModel older = new ForestModel(ForestFitter.fit(without, rows, small), with);
    float p = older.predict(fold.test().user(0), fold.test().movie(0));
    assertTrue(Float.isFinite(p), "prediction " + p);

    var needsImplicit = ForestFitter.fit(with, rows, small);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForestModel(needsImplicit, without));
    assertTrue(e.getMessage().contains(HybridFeatures.IMPLICIT_SCORE), e.getMessage());
  }
}
