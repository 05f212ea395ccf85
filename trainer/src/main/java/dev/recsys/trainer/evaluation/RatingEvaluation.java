package dev.recsys.trainer.evaluation;

import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.rating.RatingPipeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Rating evaluation: every model of the {@link RatingPipeline} is fitted on each fold's training
 * part and scored on its held-out part (and, for comparison, on the training part itself). The
 * selected model is the one with the lowest mean <em>validation</em> RMSE, measured inside each
 * fold's training part (see {@link RatingPipeline.Fitted#validationRmse()}); held-out figures are
 * computed once per fold and never feed the choice.
 */
public final class RatingEvaluation {

  /** Held-out and training figures of one model on one fold. */
  public record FoldScores(int fold, RatingMetrics test, RatingMetrics train) {}

  /**
   * Mean figures of one model over the folds.
   *
   * @param rmse mean held-out RMSE
   * @param rmseStd standard deviation of the held-out RMSE across folds (0 for one fold)
   * @param mae mean held-out MAE
   * @param r2 mean held-out R²
   * @param trainRmse mean training-set RMSE
   * @param trainMae mean training-set MAE
   * @param trainR2 mean training-set R²
   * @param folds per-fold figures
   */
  public record Summary(
      double rmse, double rmseStd, double mae, double r2, double trainRmse, double trainMae, double trainR2,
      List<FoldScores> folds) {}

  /**
   * The outcome: figures by model and the selected model.
   *
   * @param mfSolvers per fold, the factorisation solver kept and each solver's validation RMSE (what
   *     {@code --mf-solver auto} chose from)
   */
  public record Report(String task, String protocol, long seed, String dataset, Map<String, Summary> models, String selected,
      String selectedOn, Map<String, Double> validationRmse, List<SolverChoice> mfSolvers) {}

  /** Which factorisation solver a fold kept, and the validation RMSE of each one it fitted. */
  public record SolverChoice(int fold, String kept, Map<String, Double> validationRmse) {}

  /** Receives each fitted fold (for progress, curves and plots). */
  @FunctionalInterface
  public interface FoldListener {
    void fitted(Fold fold, RatingPipeline.Fitted fitted);
  }

  private RatingEvaluation() {}

  public static Report run(
      MovieLensData data, Protocol protocol, long seed, RatingPipeline.Config config, RatingScale scale,
      Splits.SplitFileReader files, RatingPipeline.Steps steps, FoldListener listener) throws IOException {
    List<Fold> folds = Splits.folds(protocol, data.ratings(), seed, files);
    Map<String, List<FoldScores>> scores = new LinkedHashMap<>();
    Map<String, Double> validation = new LinkedHashMap<>();
    List<SolverChoice> solvers = new ArrayList<>();
    for (Fold fold : folds) {
      RatingPipeline.Fitted fitted = RatingPipeline.fit(data.catalog(), data.userIds(), fold.train(), scale, config, steps);
      for (Map.Entry<String, RatingPredictor> e : fitted.predictors().entrySet()) {
        scores.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
            .add(new FoldScores(fold.index(), RatingMetrics.of(fold.test(), e.getValue()), RatingMetrics.of(fold.train(), e.getValue())));
      }
      fitted.validationRmse().forEach((name, rmse) -> validation.merge(name, rmse / folds.size(), Double::sum));
      solvers.add(new SolverChoice(fold.index(), fitted.mf().solver(), fitted.mf().solverValidationRmse()));
      listener.fitted(fold, fitted);
    }
    Map<String, Summary> models = new LinkedHashMap<>();
    scores.forEach((name, list) -> models.put(name, summarise(list)));
    String selected = validation.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    return new Report("rating", protocol.toString(), seed, data.name(), models, selected, "validation", validation, solvers);
  }

  static Summary summarise(List<FoldScores> folds) {
    double rmse = mean(folds, f -> f.test().rmse());
    double var = folds.stream().mapToDouble(f -> Math.pow(f.test().rmse() - rmse, 2)).sum() / Math.max(1, folds.size() - 1);
    return new Summary(
        rmse, folds.size() > 1 ? Math.sqrt(var) : 0, mean(folds, f -> f.test().mae()), mean(folds, f -> f.test().r2()),
        mean(folds, f -> f.train().rmse()), mean(folds, f -> f.train().mae()), mean(folds, f -> f.train().r2()), folds);
  }

  private static double mean(List<FoldScores> folds, ToDoubleFunction<FoldScores> metric) {
    return folds.stream().mapToDouble(metric).average().orElse(Double.NaN);
  }
}
