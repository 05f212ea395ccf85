package dev.recsys.trainer.evaluation;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.judge.SimilarityJudge;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.ranking.RankingCandidates;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranking evaluation with an honest protocol. The data are split per user (a share of each user's
 * ratings, or their latest ones, held out as the test part). The pipeline fits every candidate on
 * the rest, making every choice (settings, early stopping, the selected model) on a validation
 * split carved from that rest; only then is each candidate scored on the test part, once. With
 * {@code repeats > 1} the whole procedure runs on splits drawn with successive seeds.
 *
 * <p>Uncertainty: a bootstrap 95% interval over users of each candidate's NDCG, and paired
 * bootstrap intervals of each candidate's difference to the selected model and to EASE; a
 * difference whose interval holds 0 is reported as a tie.
 */
public final class RankingEvaluation {

  /** One candidate's figures on the test part of one repeat. */
  public record CandidateResult(RankingMetrics metrics, Bootstrap.Interval ndcgInterval, Bootstrap.Difference versusSelected,
      Bootstrap.Difference versusEase, Double validationNdcg) {}

  /** One repeat: its seed, what the validation split chose, and every candidate's test figures. */
  public record Repeat(long seed, String selected, Map<String, Double> validationNdcg, Map<String, Map<String, Double>> tuning,
      Map<String, String> skipped, String similarity, Map<String, Double> similarityNdcg,
      Map<String, SimilarityJudge.Report> similarityJudge, SimilarityJudge.Report similarJudgement, Map<String, Double> foldInNdcg,
      Object chosenParams, Map<String, CandidateResult> models) {}

  /** Mean and standard deviation of a candidate's test NDCG over repeats. */
  public record Summary(double ndcgMean, double ndcgStd, int timesSelected) {}

  /** The outcome. */
  public record Report(String task, int k, String protocol, String selectedOn, String dataset, List<Repeat> repeats,
      Map<String, Summary> summary) {

    /** The first repeat (the only one unless {@code --repeats} was given). */
    public Repeat first() {
      return repeats.getFirst();
    }
  }

  private RankingEvaluation() {}

  public static Report run(MovieLensData data, Protocol protocol, int k, long seed, int repeats, RankingPipeline.Config config,
      MfConfig ratingMf, RatingPipeline.Steps steps) throws IOException {
    if (!(protocol instanceof Protocol.PerUser || protocol instanceof Protocol.Last)) {
      throw new IllegalArgumentException("ranking evaluation takes per-user:<share> or last:<n>, got " + protocol);
    }
    if (repeats < 1 || repeats > 100) {
      throw new IllegalArgumentException("--repeats must be in [1, 100], got " + repeats);
    }
    if (protocol instanceof Protocol.Last && repeats > 1) {
      throw new IllegalArgumentException("last:<n> is deterministic, so repeats would be identical; use per-user:<share> with --repeats");
    }
    List<Repeat> runs = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      long s = seed + 1000L * r;
      String prefix = "repeat " + (r + 1) + "/" + repeats + ": ";
      RatingPipeline.Steps prefixed = repeats == 1 ? steps : (step, total) -> steps.start(prefix + step, total);
      runs.add(once(data, protocol, k, s, config, ratingMf, prefixed));
    }
    return new Report("ranking", k, protocol.toString(), "validation", data.name(), runs, summarise(runs));
  }

  private static Repeat once(MovieLensData data, Protocol protocol, int k, long seed, RankingPipeline.Config base, MfConfig ratingMf,
      RatingPipeline.Steps steps) throws IOException {
    // A time-based test (last:n) is validated the same way: each user's latest ratings held back.
    int innerLast = protocol instanceof Protocol.Last l ? l.n() : base.innerLast();
    RankingPipeline.Config config = new RankingPipeline.Config(base.bpr(), base.ials(), base.ease(), base.space(), base.innerShare(), innerLast,
        base.tuningUsers(), base.validationUsers(), base.bprMaxRatings(), base.fineTuneEpochs(), base.similarNeighbors(), base.diversity(), seed);
    return onFold(data, Splits.folds(protocol, data.ratings(), seed, null).getFirst(), k, seed, config, ratingMf, steps);
  }

  /** Fits on {@code fold.train()}, then scores every candidate on {@code fold.test()} once. */
  static Repeat onFold(MovieLensData data, Fold fold, int k, long seed, RankingPipeline.Config config, MfConfig ratingMf,
      RatingPipeline.Steps steps) {
    // Everything below sees only fold.train() until the candidates are scored on fold.test().
    RankingPipeline.Fitted fitted = RankingPipeline.fit(data.catalog(), fold.train(), config, steps);
    EmbeddingTables mf = RankingPipeline.ratingMfForComparison(fold.train(), ratingMf, seed, steps);
    RankingEvaluator evaluator = new RankingEvaluator(fold.train(), fold.test(), data.catalog(), k);
    Map<String, RankingEvaluator.Detailed> detailed = new LinkedHashMap<>();
    RankingCandidates.of(fitted, mf, fold.train(), data.catalog())
        .forEach((name, c) -> detailed.put(name, evaluator.evaluateDetailed(c.ranker(), c.users(), c.reranker())));
    double[] selected = detailed.get(fitted.selected()).ndcg();
    RankingEvaluator.Detailed ease = detailed.get(RankingPipeline.EASE);
    Map<String, CandidateResult> models = new LinkedHashMap<>();
    detailed.forEach((name, d) -> models.put(name, new CandidateResult(d.metrics(), Bootstrap.mean(d.ndcg(), seed),
        Bootstrap.paired(d.ndcg(), selected, seed), ease == null ? null : Bootstrap.paired(d.ndcg(), ease.ndcg(), seed),
        fitted.validationNdcg().get(name))));
    SimilarityJudge.Report judgement = SimilarityJudge.judge(data.catalog(), fitted.similar(), fitted.popularity(), 10);
    return new Repeat(seed, fitted.selected(), fitted.validationNdcg(), fitted.tuning(), fitted.skipped(), fitted.similarity(),
        fitted.similarityNdcg(), fitted.similarityJudge(), judgement, fitted.foldInNdcg(), fitted.chosen(), models);
  }

  private static Map<String, Summary> summarise(List<Repeat> runs) {
    Map<String, Summary> out = new LinkedHashMap<>();
    for (String name : runs.getFirst().models().keySet()) {
      double[] v = runs.stream().filter(r -> r.models().containsKey(name)).mapToDouble(r -> r.models().get(name).metrics().ndcg()).toArray();
      double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
      double var = v.length < 2 ? 0 : java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
      int selected = (int) runs.stream().filter(r -> r.selected().equals(name)).count();
      out.put(name, new Summary(mean, Math.sqrt(var), selected));
    }
    return out;
  }

  /** Names of the metrics in table order. */
  public static List<String> metricNames() {
    return List.of("precision", "recall", "f1", "ndcg", "map", "hit_rate", "coverage", "diversity", "novelty");
  }
}
