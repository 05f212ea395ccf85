package dev.recsys.trainer.experiments;

import dev.recsys.models.console.Progress;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.trainer.NativeSettings;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.RankingMetrics;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.mf.BprConfig;
import dev.recsys.trainer.mf.BprTrainer;
import java.nio.file.Path;

/** Exploration harness (not a test): java ... BprExperiment zip dim lr l2 negatives initStd [innerValidation]. */
public final class BprExperiment {
  public static void main(String[] a) throws Exception {
    NativeSettings.apply();
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(a[0]));
    Fold outer = Splits.perUser(data.ratings(), 0.25, 42);
    BprConfig c = new BprConfig(Integer.parseInt(a[1]), Float.parseFloat(a[2]), Float.parseFloat(a[3]), 0.001f,
        Integer.parseInt(a[4]), 1024, 80, 5, Float.parseFloat(a[5]), 42);
    RankingEvaluator test = new RankingEvaluator(outer.train(), outer.test(), data.catalog(), 10);
    RankingMetrics pop = test.evaluate(new PopularityRanker(outer.train().movieCounts()), u -> RankingEvaluator.ratingsOf(outer.train(), u), null);
    System.out.printf("popularity ndcg %.4f p %.4f%n", pop.ndcg(), pop.precision());
    Fold inner = Splits.perUser(outer.train(), 0.1, 7);
    RankingEvaluator val = new RankingEvaluator(inner.train(), inner.test(), data.catalog(), 10);
    long t = System.nanoTime();
    var r = BprTrainer.train(inner.train(), c, m -> -val.evaluate(new EmbeddingRanker(DotScorer.of(m)),
        u -> new dev.recsys.models.scoring.Ranker.User(null, null, m.userVector(u)), null).ndcg(), Progress.silent("bpr"));
    var m = r.model();
    RankingMetrics bpr = test.evaluate(new EmbeddingRanker(DotScorer.of(m)), u -> new dev.recsys.models.scoring.Ranker.User(null, null, m.userVector(u)), null);
    System.out.printf("bpr ndcg %.4f p %.4f recall %.4f map %.4f cov %.3f (best epoch %d, val %.4f, %.1fs, %.2fs/epoch) %s%n", bpr.ndcg(), bpr.precision(), bpr.recall(), bpr.map(), bpr.coverage(),
        r.bestEpoch(), r.bestValidation(), (System.nanoTime() - t) / 1e9, r.curve().stream().mapToDouble(e -> e.seconds()).average().orElse(0), c);
  }
}
