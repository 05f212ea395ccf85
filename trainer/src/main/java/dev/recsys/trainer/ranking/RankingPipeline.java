package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.judge.SimilarityJudge;
import dev.recsys.trainer.mf.BprConfig;
import dev.recsys.trainer.mf.BprTrainer;
import dev.recsys.trainer.mf.EpochStats;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.mf.RatingMfTrainer;
import dev.recsys.trainer.neighbors.EmbeddingNeighbors;
import dev.recsys.trainer.rating.BaselineFitter;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.topn.Ease;
import dev.recsys.trainer.topn.ImplicitAls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fits the top-N models on one training set and chooses among them, honestly: a per-user share of
 * the training set is held back as a validation split; every model's settings (EASE's λ, implicit
 * ALS's grid, BPR's epochs, the similar-movies similarity, the fold-in weights) and the selected
 * model are chosen by NDCG@10 on that split alone. Then every model is refitted on the whole
 * training set with its chosen settings. Data outside the given table is never seen, so a caller
 * can report figures on its own held-out part without them having fed any choice.
 */
public final class RankingPipeline {

  public static final String POPULARITY = "popularity";
  public static final String RATING_MF = "rating_mf";
  public static final String ITEM_NEIGHBORS = "item_neighbors";
  public static final String BPR = "bpr";
  public static final String IALS = "ials";
  public static final String EASE = "ease";
  /** EASE and the published embedding model, standardised scores mixed with a weight chosen on validation. */
  public static final String BLEND = "blend";
  /** MMR diversity re-ranking of the published embedding model. */
  public static final String RANKING_MMR = "ranking_mmr";
  /** New users folded in from their ratings into the selected model, as RecommendForRatings serves them (reported, not selected). */
  public static final String FOLD_IN = "fold_in";
  /** EASE with every weight (not servable; shows what the pruned table costs). */
  public static final String EASE_DENSE = "ease_dense";

  /**
   * Users with held-back ratings by default: above every bundled data set's user count (ml-100k
   * 943, ml-latest-small 610), so their splits are unchanged; at ml-1m size and above it bounds
   * each validation ranking to 3,000 users (a bootstrap interval of about +-0.01 NDCG).
   */
  public static final int DEFAULT_VALIDATION_USERS = 3000;

  /**
   * Users the search is made on by default: every user of ml-100k, ml-latest-small and ml-1m; at
   * ml-25m size (162,541 users) a sample of about an eighth of them.
   */
  public static final int DEFAULT_TUNING_USERS = 20_000;

  /**
   * Most ratings in the search set for which BPR is trained: above it BPR is skipped (recorded in
   * {@code skipped}). Its cost per epoch is about 3.7 µs per rating here (the Adam update of every
   * sampled negative's row, then the validation ranking), and early stopping takes 8-11 epochs: 34 s
   * of the ml-1m shape's training with its fine-tune, where the implicit-ALS search took 22 s. It
   * ranked below implicit ALS on validation at every size measured (validation NDCG@10: ml-100k
   * 0.177 against 0.187, mean of three splits; synthetic 100k 0.341 against 0.354, 1M 0.336
   * against 0.353), so it is kept as a comparison on small sets only.
   */
  public static final int BPR_MAX_RATINGS = 500_000;

  /** Candidates that can be selected; the others are reported for comparison. */
  static final Set<String> SELECTABLE = Set.of(POPULARITY, ITEM_NEIGHBORS, BPR, IALS, EASE, BLEND, RANKING_MMR);

  /**
   * @param bpr ranking model settings (its epochs are early-stopped on the validation split)
   * @param ials implicit ALS settings outside the search space (iterations cap, CG steps, seed)
   * @param ease EASE settings outside the search space (support and size limits)
   * @param space the settings tried on the validation split
   * @param innerShare per-user share of the training set held back for every choice
   * @param innerLast when above 0, the top-N choices are made on each user's latest {@code innerLast}
   *     ratings held back instead (a time-based evaluation, {@code last:n}, validates the way it
   *     tests: its validation split must not keep a user's later ratings in training either)
   * @param tuningUsers most users whose ratings every choice is made on (a seeded sample above it;
   *     the chosen models are then refitted on every user): the cost of the search no longer grows
   *     with the data
   * @param validationUsers most users whose ratings are held back (a seeded sample above it): the
   *     cost of every validation ranking is bounded whatever the number of users
   * @param bprMaxRatings most ratings in the search set for which BPR is trained ({@link #BPR_MAX_RATINGS})
   * @param fineTuneEpochs BPR epochs on the whole training set after early stopping
   * @param similarNeighbors neighbours kept per movie in the similar-movies table
   * @param diversity MMR weight of the re-ranked candidate
   * @param seed random seed
   */
  public record Config(BprConfig bpr, ImplicitAls.Config ials, Ease.Config ease, SearchSpace space, double innerShare, int innerLast,
      int tuningUsers, int validationUsers, int bprMaxRatings, int fineTuneEpochs, int similarNeighbors, double diversity, long seed) {
    public static Config defaults(long seed) {
      return new Config(BprConfig.defaults(seed), ImplicitAls.Config.defaults(seed), Ease.Config.defaults(), SearchSpace.defaults(),
          0.1, 0, DEFAULT_TUNING_USERS, DEFAULT_VALIDATION_USERS, BPR_MAX_RATINGS, 2, 50, 0.3, seed);
    }

    public Config withBpr(BprConfig b) {
      return new Config(b, ials, ease, space, innerShare, innerLast, tuningUsers, validationUsers, bprMaxRatings, fineTuneEpochs, similarNeighbors, diversity, seed);
    }

    public Config withSpace(SearchSpace s) {
      return new Config(bpr, ials, ease, s, innerShare, innerLast, tuningUsers, validationUsers, bprMaxRatings, fineTuneEpochs, similarNeighbors, diversity, seed);
    }

    public Config withBprMaxRatings(int n) {
      return new Config(bpr, ials, ease, space, innerShare, innerLast, tuningUsers, validationUsers, n, fineTuneEpochs, similarNeighbors, diversity, seed);
    }

    public Config withEase(Ease.Config e) {
      return new Config(bpr, ials, e, space, innerShare, innerLast, tuningUsers, validationUsers, bprMaxRatings, fineTuneEpochs, similarNeighbors, diversity, seed);
    }

    /** These settings with every choice made on each user's latest {@code n} ratings held back (0: a random share). */
    public Config withInnerLast(int n) {
      return new Config(bpr, ials, ease, space, innerShare, n, tuningUsers, validationUsers, bprMaxRatings, fineTuneEpochs, similarNeighbors, diversity, seed);
    }

    public Config withDiversity(double d) {
      return new Config(bpr, ials, ease, space, innerShare, innerLast, tuningUsers, validationUsers, bprMaxRatings, fineTuneEpochs, similarNeighbors, d, seed);
    }
  }

  /**
   * What was fitted, and the evidence for the choices made.
   *
   * @param selected the candidate with the best validation NDCG@10
   * @param validationNdcg every candidate's NDCG@10 on the validation split
   * @param tuning every setting tried, per model, with its validation NDCG@10
   * @param skipped models left out, with the reason (e.g. a catalogue over EASE's size limit)
   * @param ranking the published embedding model (the better of BPR and implicit ALS on validation)
   * @param rankingEmbedding which model {@code ranking} is: {@value #BPR} or {@value #IALS}
   * @param curve the published embedding model's training curve
   * @param bestEpoch its early-stopping point
   * @param bpr the BPR model
   * @param ials the implicit ALS model
   * @param ease the served (pruned) EASE table, or null when EASE was skipped
   * @param easeDense EASE with all its weights, or null
   * @param similar the similar-movies table
   * @param similarity the similarity it was built with
   * @param similarityNdcg item-kNN NDCG@10 of each similarity tried (on validation)
   * @param similarityJudge the franchise judge's view of each similarity tried (on validation)
   * @param popularity ratings per movie
   * @param foldIn fold-in settings of the embedding model
   * @param foldInNdcg NDCG@10 of folded-in users for each fold-in setting tried
   * @param diversity MMR weight
   * @param blendWeight EASE's share in the blend, or NaN when EASE was skipped
   * @param contentWeight content's weight for a one-rating new user ({@link dev.recsys.models.scoring.ContentBlend})
   * @param contentYearShare share of release-year closeness within content
   * @param chosen the chosen settings, as a {@code --params} file holds them
   */
  public record Fitted(
      String selected,
      Map<String, Double> validationNdcg,
      Map<String, Map<String, Double>> tuning,
      Map<String, String> skipped,
      EmbeddingTables ranking,
      String rankingEmbedding,
      List<EpochStats> curve,
      int bestEpoch,
      EmbeddingTables bpr,
      EmbeddingTables ials,
      ItemNeighbors ease,
      Ease.Model easeDense,
      ItemNeighbors similar,
      String similarity,
      Map<String, Double> similarityNdcg,
      Map<String, SimilarityJudge.Report> similarityJudge,
      int[] popularity,
      FoldIn.Implicit foldIn,
      Map<String, Double> foldInNdcg,
      double diversity,
      double blendWeight,
      float contentWeight,
      float contentYearShare,
      ChosenParams chosen) {

    /** Only an embedding model, a similar-movies table and popularity (synthetic versions for benchmarks). */
    public static Fitted embeddingOnly(EmbeddingTables ranking, ItemNeighbors similar, int[] popularity, FoldIn.Implicit foldIn, double diversity) {
      return embeddingOnly(BPR, ranking, similar, "synthetic", popularity, foldIn, diversity, Map.of());
    }

    /**
     * Only an embedding model (selected), a similar-movies table and popularity: what a trainer
     * without the one-machine search hands to publishing (the Spark trainer).
     *
     * @param model {@value #BPR} or {@value #IALS}
     * @param similarity how {@code similar} was built, for the manifest
     * @param validationNdcg validation NDCG@10 of the candidates the trainer compared
     */
    public static Fitted embeddingOnly(String model, EmbeddingTables ranking, ItemNeighbors similar, String similarity, int[] popularity,
        FoldIn.Implicit foldIn, double diversity, Map<String, Double> validationNdcg) {
      return new Fitted(model, validationNdcg, Map.of(), Map.of(), ranking, model, List.of(), 0, model.equals(BPR) ? ranking : null,
          model.equals(IALS) ? ranking : null, null, null, similar, similarity, Map.of(), Map.of(), popularity, foldIn, Map.of(), diversity,
          Double.NaN, 0f, 0f, null);
    }
  }

  /** The cut-off of every validation NDCG the pipeline chooses by, whatever k an evaluation reports. */
  public static final int VALIDATION_K = 10;

  private RankingPipeline() {}

  /**
   * The split the top-N choices are made on, carved from {@code searchSet} (training data only):
   * each user's latest {@link Config#innerLast()} ratings when set, otherwise a seeded per-user
   * share; either way for at most {@link Config#validationUsers()} users. (The few-ratings fold-in
   * check and the rating factorisation compared beside the top-N models keep their own random
   * splits.)
   */
  static Fold validationSplit(RatingsTable searchSet, Config config) {
    return config.innerLast() > 0 ? Splits.last(searchSet, config.innerLast(), config.validationUsers(), config.seed() + 3)
        : Splits.perUser(searchSet, config.innerShare(), config.seed() + 3, config.validationUsers());
  }

  public static Fitted fit(Catalog catalog, RatingsTable train, Config config, RatingPipeline.Steps steps) {
    RatingsTable searchSet = Splits.users(train, config.tuningUsers(), config.seed() + 4);
    boolean sampled = searchSet != train;
    Fold inner = validationSplit(searchSet, config);
    RankingEvaluator innerEval = new RankingEvaluator(inner.train(), inner.test(), catalog, VALIDATION_K);
    Map<String, Double> validation = new LinkedHashMap<>();
    Map<String, Map<String, Double>> tuning = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();

    validation.put(POPULARITY, innerEval.evaluate(new PopularityRanker(inner.train().movieCounts()), u -> null, null).ndcg());

    BprTrainer.Result early = null;
    if (inner.train().size() > config.bprMaxRatings()) {
      skipped.put(BPR, String.format(java.util.Locale.ROOT,
          "not trained: the search set holds %,d ratings, over BPR's limit of %,d (RankingPipeline.BPR_MAX_RATINGS: an epoch "
              + "costs about 3.7 µs a rating, 34 s in all at 1M ratings where the implicit-ALS search took 22 s, and it ranked "
              + "below implicit ALS on validation at every size measured)",
          inner.train().size(), config.bprMaxRatings()));
    } else {
      try (Progress p = steps.start("BPR, epoch", config.bpr().maxEpochs())) {
        early = BprTrainer.train(inner.train(), config.bpr(), m -> -Tuning.ndcg(innerEval, m), p);
      }
      validation.put(BPR, -early.bestValidation());
      // A model with non-finite embeddings ranks nothing: it must neither be chosen nor published.
      String divergedEarly = early.model().firstNonFinite();
      if (divergedEarly != null) {
        skipped.put(BPR, "BPR diverged on the validation split (" + divergedEarly + "); it is not a candidate");
        validation.put(BPR, 0.0);
      }
    }

    Tuning.Tuned<ImplicitAls.Config, EmbeddingTables> ials = Tuning.ials(inner.train(), innerEval, config.ials(), config.space(), steps);
    validation.put(IALS, ials.ndcg());
    tuning.put(IALS, ials.tried());

    Optional<Tuning.Tuned<Ease.Config, Ease.Model>> ease =
        Tuning.ease(inner.train(), innerEval, config.ease(), config.space(), steps, skipped);
    ItemNeighbors innerEaseTable = null;
    int easeNeighbors = 0;
    if (ease.isPresent()) {
      // The served table keeps each movie's largest weights; how many is chosen here too: the
      // smallest table whose validation NDCG ties the best one's (paired bootstrap interval over the
      // validation users holds 0). A table's size is what each call scatters per rated movie, so
      // among tables validation cannot tell apart the cheapest to serve is kept.
      Map<String, Double> tried = new LinkedHashMap<>(ease.get().tried());
      List<Integer> sizes = config.space().easeNeighbors().stream().sorted().toList();
      Map<Integer, RankingEvaluator.Detailed> bySize = new LinkedHashMap<>();
      Map<Integer, ItemNeighbors> tables = new LinkedHashMap<>();
      int bestSize = sizes.getFirst();
      for (int k : sizes) {
        ItemNeighbors table = ease.get().model().pruned(k);
        RankingEvaluator.Detailed d = innerEval.evaluateDetailed(new NeighborRanker(table, true),
            u -> RankingEvaluator.ratingsOf(inner.train(), u), null);
        tried.put("neighbours=" + k, d.metrics().ndcg());
        bySize.put(k, d);
        tables.put(k, table);
        if (d.metrics().ndcg() > bySize.get(bestSize).metrics().ndcg()) {
          bestSize = k;
        }
      }
      easeNeighbors = bestSize;
      for (int k : sizes) {
        if (k < bestSize && EaseTableSize.tiesWith(bySize.get(k).ndcg(), bySize.get(bestSize).ndcg(), config.seed())) {
          easeNeighbors = k;
          break;
        }
      }
      innerEaseTable = tables.get(easeNeighbors);
      tuning.put(EASE, tried);
      double best = bySize.get(easeNeighbors).metrics().ndcg();
      validation.put(EASE, best);
      validation.put(EASE_DENSE, ease.get().ndcg());
    }

    // The published embedding model: whichever of BPR and implicit ALS ranks better on validation.
    boolean useIals = early == null || validation.get(IALS) > validation.get(BPR);
    EmbeddingTables innerEmbedding = useIals ? ials.model() : early.model();
    SimilarTables.Choice similar = SimilarTables.choose(catalog, inner.train(), innerEval, innerEmbedding,
        ease.map(Tuning.Tuned::model).orElse(null), config.similarNeighbors(), steps);
    validation.put(ITEM_NEIGHBORS, similar.ndcg().get(similar.chosen()));
    validation.put(RANKING_MMR, innerEval.evaluate(new dev.recsys.models.scoring.EmbeddingRanker(dev.recsys.models.scoring.DotScorer.of(innerEmbedding)),
        Tuning.learned(innerEmbedding), RankingCandidates.mmr(catalog, config.diversity())).ndcg());
    // New users are folded in from a handful of ratings: the fold-in's weights and the content
    // weight are both chosen on users folded in from 3-5 of theirs.
    FoldInTuning.FewRatingsCheck fewRatings = FoldInTuning.FewRatingsCheck.of(searchSet, catalog, config.seed());
    FoldInTuning.Result foldIn = FoldInTuning.choose(innerEmbedding, inner.train(), fewRatings, config.seed());
    double blendWeight = innerEaseTable == null ? Double.NaN : blendWeight(innerEaseTable, innerEmbedding, inner.train(), innerEval, validation, tuning);

    String selected = best(validation);
    // Content for new users, tuned on the selected model's own fold-in (the validation split's models).
    ItemNeighbors innerEase = innerEaseTable;
    java.util.function.BiFunction<String, SimilarTables.Choice, FoldInTuning.ContentResult> contentFor = (model, similarChoice) -> {
      RankingCandidates.FoldInModels innerModels = new RankingCandidates.FoldInModels(innerEmbedding, foldIn.settings(), innerEase,
          model.equals(ITEM_NEIGHBORS) ? SimilarTables.build(similarChoice.chosen(), inner.train(), innerEmbedding,
              ease.map(Tuning.Tuned::model).orElse(null), config.similarNeighbors(), catalog) : null,
          inner.train().movieCounts(), blendWeight, config.diversity());
      return FoldInTuning.chooseContent(
          (profiles, scale) -> RankingCandidates.collaborativeFoldIn(model, innerModels, profiles, scale, catalog), fewRatings, catalog);
    };
    FoldInTuning.ContentResult content = contentFor.apply(selected, similar);
    tuning.put(FOLD_IN + "_content", content.tried());

    // The final models: every candidate refitted on the whole training set with its chosen settings.
    BprTrainer.Result bpr = finalBpr(early, sampled, useIals, train, config, steps, skipped);
    ImplicitAls.Result ialsFinal;
    // After a sampled search, the search model's movie factors start the final fit: a few
    // iterations (users are solved first, so every user's row is exact from the first) replace a
    // whole fit from random factors, which took 3 minutes at 25M ratings.
    ImplicitAls.Config ialsSettings = ials.settings();
    ImplicitAls.Config ialsRefit = sampled
        ? ialsSettings.with(ialsSettings.dim(), ialsSettings.unobservedWeight(), ialsSettings.l2(),
            Math.min(ialsSettings.maxIterations(), RatingPipeline.IMPLICIT_REFIT_ITERATIONS))
        : ialsSettings;
    try (Progress p = steps.start("implicit ALS on the whole training set" + (sampled ? " (from the search model's factors)" : "")
        + ", iteration", ialsRefit.maxIterations())) {
      ialsFinal = sampled ? ImplicitAls.fitFrom(ials.model(), train, ialsRefit, p) : ImplicitAls.fit(train, ialsRefit, null, p);
    }
    ItemNeighbors easeTable = null;
    Ease.Model easeDense = null;
    if (ease.isPresent()) {
      try (Progress p = steps.start("EASE on the whole training set", 0)) {
        easeDense = Ease.fit(train, ease.get().settings(), p);
        easeTable = easeDense.pruned(easeNeighbors);
      } catch (Ease.TooLargeException e) {
        // The validation split's training part fitted, so the whole set (more movies with support) may not.
        skipped.put(EASE, e.getMessage());
        validation.remove(EASE);
        validation.remove(EASE_DENSE);
        validation.remove(BLEND);
        boolean similarReplaced = SimilarTables.base(similar.chosen()).equals(SimilarTables.EASE);
        if (similarReplaced) {
          similar = similar.without(SimilarTables.EASE);
          // item_neighbors' figure was the EASE-based table's: it becomes the replacement's.
          validation.put(ITEM_NEIGHBORS, similar.ndcg().get(similar.chosen()));
        }
        String reselected = best(validation);
        if (!reselected.equals(selected) || similarReplaced && reselected.equals(ITEM_NEIGHBORS)) {
          // The content weight was tuned on the fold-in of a model no longer published as it was.
          selected = reselected;
          content = contentFor.apply(selected, similar);
          tuning.put(FOLD_IN + "_content", content.tried());
        }
      }
    }
    int[] counts = train.movieCounts();
    EmbeddingTables bprModel = bpr == null ? null : ColdMovies.fillEmbeddings(bpr.model(), catalog, counts);
    EmbeddingTables ialsModel = ColdMovies.fillEmbeddings(ialsFinal.model(), catalog, counts);
    EmbeddingTables ranking = useIals ? ialsModel : bprModel;
    ItemNeighbors similarBuilt;
    try (Progress p = steps.start("similar movies (" + similar.chosen() + ") on the whole training set, movie", catalog.size())) {
      similarBuilt = SimilarTables.build(similar.chosen(), train, ranking, easeDense, config.similarNeighbors(), p, catalog);
    }
    ItemNeighbors similarTable = ColdMovies.fillNeighbors(similarBuilt, catalog, counts, config.similarNeighbors());
    FoldIn.Implicit foldInFinal = FoldInTuning.retarget(foldIn.settings(), ranking, train, config.seed());
    ChosenParams chosen = new ChosenParams(ease.map(e -> e.settings().lambda()).orElse(null), ease.isPresent() ? easeNeighbors : null,
        ials.settings().dim(),
        ials.settings().unobservedWeight(), ials.settings().l2(), ials.settings().maxIterations(), early == null ? null : early.bestEpoch());
    return new Fitted(selected, validation, tuning, skipped, ranking, useIals ? IALS : BPR,
        useIals ? ialsFinal.curve() : bpr.curve(), useIals ? ialsFinal.bestIteration() : bpr.bestEpoch(),
        bprModel, ialsModel, easeTable, easeDense, similarTable, similar.chosen(), similar.ndcg(), similar.judged(), counts, foldInFinal,
        foldIn.tried(), config.diversity(), easeTable == null ? Double.NaN : blendWeight,
        content.weightPerRating(), content.yearShare(), chosen);
  }

  /**
   * BPR for the whole training set: none when it was not trained (over its size limit); the
   * sample's model when the search ran on a sample and implicit ALS is published; trained afresh on
   * everybody for the early-stopped epochs when BPR is published after a sampled search; otherwise
   * fine-tuned on the whole set (a diverged fine-tune keeps the early-stopped model). Reasons for
   * what was not done go into {@code skipped}.
   */
  private static BprTrainer.Result finalBpr(BprTrainer.Result early, boolean sampled, boolean useIals, RatingsTable train, Config config,
      RatingPipeline.Steps steps, Map<String, String> skipped) {
    if (early == null) {
      return null;
    }
    if (sampled && useIals) {
      // Fitted on the sample's users only; refitting it on everybody would cost more than all the
      // published models together, for a model that is neither selected nor published.
      skipped.put(BPR + "_final", "not refitted on all users (the search ran on a sample of " + config.tuningUsers()
          + " users, and implicit ALS is the published embedding model): its figures are the sample's model");
      return early;
    }
    if (sampled) {
      try (Progress p = steps.start("BPR on the whole training set, epoch", Math.max(1, early.bestEpoch()))) {
        BprTrainer.Result full = BprTrainer.train(train, config.bpr().withMaxEpochs(Math.max(1, early.bestEpoch())), null, p);
        return new BprTrainer.Result(full.model(), full.curve(), early.bestEpoch(), early.bestValidation());
      }
    }
    if (config.fineTuneEpochs() <= 0) {
      return early;
    }
    try (Progress p = steps.start("BPR fine-tune on the whole training set, epoch", config.fineTuneEpochs())) {
      BprTrainer.Result ft = BprTrainer.fineTune(early.model(), train, config.bpr(), config.fineTuneEpochs(), config.bpr().learningRate() / 2, p);
      String diverged = ft.model().firstNonFinite();
      if (diverged != null) {
        skipped.put(BPR + "_fine_tune", "BPR diverged while fine-tuning (" + diverged + "); the early-stopped model is kept");
        return early;
      }
      return new BprTrainer.Result(ft.model(), EpochStats.continued(early.curve(), ft.curve()), early.bestEpoch(), early.bestValidation());
    }
  }

  /** The selectable candidate with the best validation NDCG. */
  private static String best(Map<String, Double> validation) {
    return validation.entrySet().stream().filter(e -> SELECTABLE.contains(e.getKey())).max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** EASE's share in the blend with the embedding model, chosen on validation (recorded in {@code validation} and {@code tuning}). */
  private static double blendWeight(ItemNeighbors ease, EmbeddingTables embedding, RatingsTable train, RankingEvaluator evaluator,
      Map<String, Double> validation, Map<String, Map<String, Double>> tuning) {
    Map<String, Double> tried = new LinkedHashMap<>();
    float best = Float.NaN;
    double bestNdcg = -1;
    for (float w : BLEND_WEIGHTS) {
      double ndcg = evaluator.evaluate(RankingCandidates.blend(ease, embedding, w), RankingCandidates.ratedWithVector(train, embedding), null).ndcg();
      tried.put("ease_weight=" + w, ndcg);
      if (ndcg > bestNdcg) {
        bestNdcg = ndcg;
        best = w;
      }
    }
    tuning.put(BLEND, tried);
    validation.put(BLEND, bestNdcg);
    return best;
  }

  /** EASE shares tried in the blend. */
  static final float[] BLEND_WEIGHTS = {0.25f, 0.5f, 0.75f};

  /**
   * A rating factorisation trained on {@code train} alone (early-stopped on a hold-out of it), so that
   * "rank by predicted rating" is compared on the same held-out users as the other candidates.
   */
  public static EmbeddingTables ratingMfForComparison(RatingsTable train, MfConfig config, long seed, RatingPipeline.Steps steps) {
    try (Progress p = steps.start("rating factorisation for comparison", config.maxEpochs())) {
      Fold inner = Splits.holdout(train, 0.1, seed + 5);
      return RatingMfTrainer.train(inner.train(), inner.test(), config, p).model();
    }
  }

  /** Used by {@link SimilarTables} for the rating-residual similarity. */
  static BiasModel baseline(RatingsTable train) {
    return BaselineFitter.fit(train, BaselineFitter.Config.defaults());
  }

  static ItemNeighbors embedding(EmbeddingTables model, int k) {
    return EmbeddingNeighbors.build(model, k);
  }
}
