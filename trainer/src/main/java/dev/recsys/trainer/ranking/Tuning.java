package dev.recsys.trainer.ranking;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.topn.Ease;
import dev.recsys.trainer.topn.ImplicitAls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the settings of each top-N model by NDCG@10 on a validation split carved from the
 * training data: every point of the {@link SearchSpace} is fitted on the split's training part and
 * ranked on its held-out part. Never sees data outside the table it is given.
 */
public final class Tuning {

  /**
   * A chosen point, its validation NDCG, every point's NDCG (for the report), and the model fitted
   * at the chosen point on the validation split's training part.
   */
  record Tuned<T, M>(T settings, double ndcg, Map<String, Double> tried, M model) {}

  private Tuning() {}

  /** A learned user's vector in an embedding model, as the evaluator asks for it. */
  public static RankingEvaluator.Users learned(EmbeddingTables model) {
    return u -> new Ranker.User(null, null, model.userVector(u));
  }

  static double ndcg(RankingEvaluator evaluator, EmbeddingTables model) {
    return evaluator.evaluate(new EmbeddingRanker(DotScorer.of(model)), learned(model), null).ndcg();
  }

  /** Most points an EASE search adds beyond each end of its λ grid. */
  static final int EASE_EXTENSIONS = 2;

  /** Ratio between an added λ and the grid's end it extends. */
  static final double EASE_EXTENSION_RATIO = 2.5;

  /**
   * EASE over the λ grid by a {@link GridClimb} (each point costs a dense inverse; the climb saves
   * one or two), one Gram matrix for every λ; empty (with the reason in {@code skipped}) when the
   * catalogue is over the dense-inverse limit. Past the grid's ends the climb goes on ({@link
   * #EASE_EXTENSION_RATIO} apart, at most {@link #EASE_EXTENSIONS} points): the best λ grows with the
   * data (1,000, the grid's top, won at the ml-1m shape).
   */
  static Optional<Tuned<Ease.Config, Ease.Model>> ease(RatingsTable train, RankingEvaluator evaluator, Ease.Config base, SearchSpace space,
      RatingPipeline.Steps steps, Map<String, String> skipped) {
    GridClimb.Axis lambdas = new GridClimb.Axis(space.easeLambda(), EASE_EXTENSIONS, EASE_EXTENSION_RATIO);
    int planned = Math.min(lambdas.values().size(), 3); // the start and a neighbour each way, the usual climb
    try (Progress p = steps.start("EASE, lambda climb", planned)) {
      LambdaSearch search = new LambdaSearch(Ease.gram(train, base, p), train, evaluator, p, planned);
      GridClimb.climb(List.of(lambdas), point -> search.tryLambda(point[0]));
      if (search.best == null) {
        skipped.put(RankingPipeline.EASE, "EASE skipped: no lambda tried gave a finite validation NDCG: " + search.tried);
        return Optional.empty();
      }
      return Optional.of(new Tuned<>(base.withLambda(search.best.lambda()), search.bestNdcg, search.tried, search.best));
    } catch (Ease.TooLargeException e) {
      skipped.put(RankingPipeline.EASE, e.getMessage());
      return Optional.empty();
    }
  }

  /** EASE fitted from one Gram matrix at each λ tried, scored on validation; the best kept. */
  private static final class LambdaSearch {
    private final Ease.Gram gram;
    private final RatingsTable train;
    private final RankingEvaluator evaluator;
    private final Progress progress;
    final Map<String, Double> tried = new LinkedHashMap<>();
    Ease.Model best;
    double bestNdcg = -1;
    private int planned;

    LambdaSearch(Ease.Gram gram, RatingsTable train, RankingEvaluator evaluator, Progress progress, int planned) {
      this.planned = planned;
      this.gram = gram;
      this.train = train;
      this.evaluator = evaluator;
      this.progress = progress;
    }

    /** Fits and scores EASE at {@code lambda}; returns its validation NDCG. */
    double tryLambda(double lambda) {
      if (tried.size() >= planned) {
        progress.extend(1);
        planned++;
      }
      Ease.Model m = Ease.fit(gram, lambda, progress);
      double ndcg = evaluator.evaluate(m, u -> RankingEvaluator.ratingsOf(train, u), null).ndcg();
      tried.put("lambda=" + fmt(lambda), ndcg);
      if (ndcg > bestNdcg) {
        bestNdcg = ndcg;
        best = m;
      }
      progress.advance(1);
      return ndcg;
    }
  }

  /** Implicit ALS over the grid, each point early-stopped; the chosen settings carry the best iteration count. */
  static Tuned<ImplicitAls.Config, EmbeddingTables> ials(RatingsTable train, RankingEvaluator evaluator, ImplicitAls.Config base, SearchSpace space,
      RatingPipeline.Steps steps) {
    Map<String, Double> tried = new LinkedHashMap<>();
    ImplicitAls.Config best = null;
    EmbeddingTables bestModel = null;
    double bestNdcg = -1;
    int points = space.ialsDim().size() * space.ialsUnobserved().size() * space.ialsL2().size();
    try (Progress p = steps.start("implicit ALS, grid of " + points + " x up to " + base.maxIterations() + " iterations",
        (long) points * base.maxIterations())) {
      for (int dim : space.ialsDim()) {
        for (double w0 : space.ialsUnobserved()) {
          for (double l2 : space.ialsL2()) {
            ImplicitAls.Config c = base.with(dim, w0, l2, base.maxIterations());
            long before = p.done();
            ImplicitAls.Result r = ImplicitAls.fit(train, c, m -> -ndcg(evaluator, m), p);
            p.set(before + base.maxIterations());
            double ndcg = -r.bestValidation();
            tried.put(String.format(Locale.ROOT, "dim=%d,unobserved=%s,l2=%s (iterations %d)", dim, fmt(w0), fmt(l2), r.bestIteration()), ndcg);
            if (ndcg > bestNdcg) {
              bestNdcg = ndcg;
              best = base.with(dim, w0, l2, r.bestIteration());
              bestModel = r.model();
            }
          }
        }
      }
    }
    return new Tuned<>(best, bestNdcg, tried, bestModel);
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
  }
}
