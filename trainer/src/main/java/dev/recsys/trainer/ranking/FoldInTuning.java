package dev.recsys.trainer.ranking;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Settings of folding new users into an embedding model: targets from the model's own scores
 * (what a training positive and a random pair score), weights chosen by how well users folded in
 * from their validation-split training ratings rank their held-out movies.
 */
final class FoldInTuning {

  /** The chosen settings and the NDCG@10 of every setting tried. */
  record Result(FoldIn.Implicit settings, Map<String, Double> tried) {}

  private FoldInTuning() {}

  static Result choose(EmbeddingTables model, RatingsTable train, RankingEvaluator evaluator, long seed) {
    Map<String, Double> tried = new LinkedHashMap<>();
    FoldIn.Implicit best = null;
    double bestNdcg = -1;
    float[] targets = scoreTargets(model, train, seed);
    RankingCandidates.Scale scale = RankingCandidates.Scale.of(train);
    for (float l2 : new float[] {1f, 10f}) {
      for (float w0 : new float[] {0.001f, 0.01f, 0.1f}) {
        FoldIn.Implicit settings = new FoldIn.Implicit(targets[0], targets[1], w0, l2);
        FoldIn foldIn = FoldIn.implicit(model, settings);
        double ndcg = evaluator.evaluate(new EmbeddingRanker(DotScorer.of(model)),
            u -> RankingCandidates.foldedIn(foldIn, train, u, scale), null).ndcg();
        tried.put("l2=" + l2 + ",w0=" + w0, ndcg);
        if (ndcg > bestNdcg) {
          bestNdcg = ndcg;
          best = settings;
        }
      }
    }
    return new Result(best, tried);
  }

  /** The chosen weights with targets recomputed for the final model. */
  static FoldIn.Implicit retarget(FoldIn.Implicit chosen, EmbeddingTables model, RatingsTable train, long seed) {
    float[] t = scoreTargets(model, train, seed);
    return new FoldIn.Implicit(t[0], t[1], chosen.backgroundWeight(), chosen.l2());
  }

  /** Mean score of training positives and of random pairs (the fold-in's targets). */
  static float[] scoreTargets(EmbeddingTables model, RatingsTable train, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double positive = 0;
    double negative = 0;
    int samples = Math.min(20_000, train.size());
    for (int s = 0; s < samples; s++) {
      int row = random.nextInt(train.size());
      positive += model.score(train.user(row), train.movie(row));
      negative += model.score(random.nextInt(model.users()), random.nextInt(model.items()));
    }
    return new float[] {(float) (positive / samples), (float) (negative / samples)};
  }
}
