package dev.recsys.trainer.cli;

import dev.recsys.models.console.TextTable;
import dev.recsys.models.plots.Charts;
import dev.recsys.trainer.evaluation.Bootstrap;
import dev.recsys.trainer.evaluation.RankingEvaluation;
import dev.recsys.trainer.evaluation.RankingMetrics;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The console tables and the plot of a ranking evaluation. */
final class RankingTables {

  private RankingTables() {}

  static TextTable test(RankingEvaluation.Repeat run, int k) {
    TextTable t = new TextTable("model", "val NDCG@" + RankingPipeline.VALIDATION_K, "NDCG@" + k, "95% interval", "vs selected", "vs EASE", "P@k", "R@k", "HR@k",
        "coverage", "diversity", "novelty");
    run.models().forEach((name, c) -> {
      RankingMetrics m = c.metrics();
      t.row(name + (name.equals(run.selected()) ? " *" : ""), c.validationNdcg() == null ? "-" : f(c.validationNdcg()), f(m.ndcg()),
          interval(c.ndcgInterval()), name.equals(run.selected()) ? "-" : difference(c.versusSelected()),
          c.versusEase() == null || name.equals("ease") ? "-" : difference(c.versusEase()), f(m.precision()), f(m.recall()), f(m.hitRate()),
          f(m.coverage()), f(m.diversity()), String.format(Locale.ROOT, "%.2f", m.novelty()));
    });
    return t;
  }

  /** The similarities tried on the validation split: ranking value and the franchise judge. */
  static TextTable similarities(RankingEvaluation.Repeat run) {
    TextTable t = new TextTable("similarity", "item-kNN val NDCG@10", "franchise HR@10", "franchise recall", "genre coherence", "popularity bias");
    run.similarityNdcg().forEach((name, ndcg) -> {
      var j = run.similarityJudge().get(name);
      t.row(name + (name.equals(run.similarity()) ? " *" : ""), f(ndcg), f(j.franchiseHitRate()), f(j.franchiseRecall()), f(j.genreCoherence()),
          String.format(Locale.ROOT, "%+.2f", j.popularityBiasMean()));
    });
    return t;
  }

  static TextTable summary(RankingEvaluation.Report r, int k) {
    TextTable t = new TextTable("model", "NDCG@" + k + " mean", "± std", "times selected");
    r.summary().forEach((name, s) -> t.row(name, f(s.ndcgMean()), f(s.ndcgStd()), Integer.toString(s.timesSelected())));
    return t;
  }

  /** Grouped bars of the first repeat's test figures, saved as {@code <name>.png} in {@code dir}. */
  static Path plot(RankingEvaluation.Report r, int k, String dataset, Path dir, String name) throws IOException {
    RankingEvaluation.Repeat run = r.first();
    List<String> names = new ArrayList<>(run.models().keySet());
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    series.put("NDCG@" + k, names.stream().map(n -> run.models().get(n).metrics().ndcg()).toList());
    series.put("Precision@" + k, names.stream().map(n -> run.models().get(n).metrics().precision()).toList());
    series.put("Recall@" + k, names.stream().map(n -> run.models().get(n).metrics().recall()).toList());
    return Charts.save(Charts.groupedBars("Top-" + k + " quality on the test part, " + dataset + " " + r.protocol(), "model", "metric", names, series),
        dir, name);
  }

  private static String interval(Bootstrap.Interval i) {
    return String.format(Locale.ROOT, "[%.4f, %.4f]", i.low(), i.high());
  }

  private static String difference(Bootstrap.Difference d) {
    return String.format(Locale.ROOT, "%+.4f %s", d.mean(), d.verdict());
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
