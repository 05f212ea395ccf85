package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.BlendRanker;
import dev.recsys.models.scoring.ContentBlend;
import dev.recsys.models.scoring.Diversifier;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.EmbeddingRanker;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.models.scoring.PopularityRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RankingEvaluator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every fitted top-N model as a ranker the evaluator can score, named as the reports and manifests name them. */
public final class RankingCandidates {

  /** A candidate of the ranking evaluation. */
  public record Candidate(Ranker ranker, RankingEvaluator.Users users, RankingEvaluator.Reranker reranker) {}

  private RankingCandidates() {}

  /**
   * The candidates, for users of {@code train} (the table the models were fitted on).
   *
   * @param ratingMf a rating factorisation for comparison (rank by predicted stars), or null
   */
  public static Map<String, Candidate> of(RankingPipeline.Fitted f, EmbeddingTables ratingMf, RatingsTable train, Catalog catalog) {
    Map<String, Candidate> c = new LinkedHashMap<>();
    RankingEvaluator.Users rated = rated(train);
    c.put(RankingPipeline.POPULARITY, new Candidate(new PopularityRanker(f.popularity()), u -> null, null));
    if (ratingMf != null) {
      c.put(RankingPipeline.RATING_MF, embedding(ratingMf, null));
    }
    c.put(RankingPipeline.ITEM_NEIGHBORS, new Candidate(new NeighborRanker(f.similar()), rated, null));
    if (f.bpr() != null) {
      c.put(RankingPipeline.BPR, embedding(f.bpr(), null));
    }
    c.put(RankingPipeline.IALS, embedding(f.ials(), null));
    if (f.ease() != null) {
      c.put(RankingPipeline.EASE, new Candidate(new NeighborRanker(f.ease(), true), rated, null));
      c.put(RankingPipeline.EASE_DENSE, new Candidate(f.easeDense(), rated, null));
      c.put(RankingPipeline.BLEND, new Candidate(blend(f.ease(), f.ranking(), (float) f.blendWeight()), ratedWithVector(train, f.ranking()), null));
    }
    c.put(RankingPipeline.RANKING_MMR, embedding(f.ranking(), mmr(catalog, f.diversity())));
    c.put(RankingPipeline.FOLD_IN, foldIn(f, train, catalog));
    return c;
  }

  /**
   * Users folded in from their ratings into the selected model, the way RecommendForRatings serves
   * a new user: the embedding projection for embedding models, signed preference sums for
   * item-item models, popularity for popularity.
   */
  static Candidate foldIn(RankingPipeline.Fitted f, RatingsTable train, Catalog catalog) {
    return withContent(collaborativeFoldIn(f.selected(), FoldInModels.of(f), train, Scale.of(train), catalog),
        content(catalog, f.contentWeight(), f.contentYearShare()), Scale.of(train));
  }

  /**
   * What folding a new user in needs of the fitted models (the final ones, or the validation
   * split's while choosing the content weight).
   *
   * @param embedding the published embedding model
   * @param foldIn its fold-in settings
   * @param ease EASE's pruned table, or null
   * @param similar the similar-movies table (needed when item-kNN is selected), or null
   * @param popularity ratings per movie
   * @param blendWeight EASE's share in the blend
   * @param diversity MMR weight
   */
  record FoldInModels(EmbeddingTables embedding, FoldIn.Implicit foldIn, ItemNeighbors ease, ItemNeighbors similar, int[] popularity,
      double blendWeight, double diversity) {
    static FoldInModels of(RankingPipeline.Fitted f) {
      return new FoldInModels(f.ranking(), f.foldIn(), f.ease(), f.similar(), f.popularity(), f.blendWeight(), f.diversity());
    }
  }

  /** Fold-in of {@code selected} without content, for users known by their ratings in {@code profiles}. */
  static Candidate collaborativeFoldIn(String selected, FoldInModels m, RatingsTable profiles, Scale scale, Catalog catalog) {
    return switch (selected) {
      case RankingPipeline.EASE -> new Candidate(preferences(new NeighborRanker(m.ease(), true), scale), rated(profiles), null);
      case RankingPipeline.ITEM_NEIGHBORS -> new Candidate(preferences(new NeighborRanker(m.similar()), scale), rated(profiles), null);
      case RankingPipeline.POPULARITY -> new Candidate(new PopularityRanker(m.popularity()), u -> null, null);
      case RankingPipeline.BLEND -> {
        FoldIn foldIn = FoldIn.implicit(m.embedding(), m.foldIn());
        Ranker stated = new BlendRanker(preferences(new NeighborRanker(m.ease(), true), scale), new EmbeddingRanker(DotScorer.of(m.embedding())),
            (float) m.blendWeight());
        yield new Candidate(stated, u -> foldedIn(foldIn, profiles, u, scale), null);
      }
      default -> {
        FoldIn foldIn = FoldIn.implicit(m.embedding(), m.foldIn());
        // The server re-ranks new users' lists too when MMR was selected.
        yield new Candidate(new EmbeddingRanker(DotScorer.of(m.embedding())), u -> foldedIn(foldIn, profiles, u, scale),
            selected.equals(RankingPipeline.RANKING_MMR) ? mmr(catalog, m.diversity()) : null);
      }
    };
  }

  /**
   * What new users known by {@code profiles} (their only ratings) would get: popularity, EASE's
   * preference sums, the selected model's fold-in without content, and the served fold-in (with
   * the content blend chosen on validation).
   *
   * @param ratings a table whose rating scale is the data set's (what the server's midpoint is)
   */
  public static Map<String, Candidate> newUsers(RankingPipeline.Fitted f, RatingsTable profiles, RatingsTable ratings, Catalog catalog) {
    Scale scale = Scale.of(ratings);
    Map<String, Candidate> c = new LinkedHashMap<>();
    c.put(RankingPipeline.POPULARITY, new Candidate(new PopularityRanker(f.popularity()), u -> null, null));
    if (f.ease() != null) {
      c.put(RankingPipeline.EASE, new Candidate(preferences(new NeighborRanker(f.ease(), true), scale), rated(profiles), null));
    }
    Candidate collaborative = collaborativeFoldIn(f.selected(), FoldInModels.of(f), profiles, scale, catalog);
    c.put(f.selected() + "_without_content", collaborative);
    c.put(RankingPipeline.FOLD_IN, withContent(collaborative, content(catalog, f.contentWeight(), f.contentYearShare()), scale));
    return c;
  }

  /** The content blend of new users with the given weights over the catalogue. */
  public static ContentBlend content(Catalog catalog, float weightPerRating, float yearShare) {
    long[] masks = new long[catalog.size()];
    int[] years = new int[catalog.size()];
    for (int m = 0; m < masks.length; m++) {
      masks[m] = catalog.genreMask(m);
      years[m] = catalog.year(m);
    }
    return new ContentBlend(masks, years, weightPerRating, yearShare);
  }

  /** {@code base}'s scores with content mixed in for the user's stated ratings (its users and re-ranking kept). */
  static Candidate withContent(Candidate base, ContentBlend blend, Scale scale) {
    Ranker blended = new Ranker() {
      @Override
      public void score(User user, float[] out) {
        base.ranker().score(user, out);
        blend.apply(user.movies(), user.ratings(), scale.midpoint(), scale.span(), out);
      }

      @Override
      public int items() {
        return base.ranker().items();
      }
    };
    return new Candidate(blended, base.users(), base.reranker());
  }

  /** A user's training ratings, no vector. */
  static RankingEvaluator.Users rated(RatingsTable train) {
    return u -> RankingEvaluator.ratingsOf(train, u);
  }

  /** A user's training ratings and learned vector (for blends of item-item and embedding models). */
  static RankingEvaluator.Users ratedWithVector(RatingsTable train, EmbeddingTables model) {
    return u -> {
      Ranker.User r = RankingEvaluator.ratingsOf(train, u);
      return new Ranker.User(r.movies(), r.ratings(), model.userVector(u));
    };
  }

  /** EASE's signed weights blended with an embedding model. */
  static Ranker blend(ItemNeighbors ease, EmbeddingTables embedding, float easeWeight) {
    return new BlendRanker(new NeighborRanker(ease, true), new EmbeddingRanker(DotScorer.of(embedding)), easeWeight);
  }

  /** Stated preferences (liked pulls up, disliked pushes down) through an item-item table. */
  private static Ranker preferences(NeighborRanker ranker, Scale scale) {
    return new Ranker() {
      @Override
      public void score(User user, float[] out) {
        ranker.scorePreferences(user, scale.midpoint(), out);
      }

      @Override
      public int items() {
        return ranker.items();
      }
    };
  }

  private static Candidate embedding(EmbeddingTables model, RankingEvaluator.Reranker reranker) {
    return new Candidate(new EmbeddingRanker(DotScorer.of(model)), Tuning.learned(model), reranker);
  }

  /** MMR re-ranking by genre with weight {@code diversity}. */
  static RankingEvaluator.Reranker mmr(Catalog catalog, double diversity) {
    long[] masks = new long[catalog.size()];
    for (int m = 0; m < masks.length; m++) {
      masks[m] = catalog.genreMask(m);
    }
    return (top, scores, k) -> Diversifier.rerank(top, scores, masks, k, diversity);
  }

  /** Midpoint and half-width of the rating scale of a table. */
  record Scale(float midpoint, float span) {
    static Scale of(RatingsTable t) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < t.size(); i++) {
        min = Math.min(min, t.rating(i));
        max = Math.max(max, t.rating(i));
      }
      return min >= max ? new Scale(3f, 2f) : new Scale((min + max) / 2, (max - min) / 2);
    }
  }

  static Ranker.User foldedIn(FoldIn foldIn, RatingsTable train, int u, Scale scale) {
    return foldedIn(foldIn, train, u, scale, null);
  }

  /**
   * As above, each user's {@link FoldIn.Profile} kept in {@code profiles} (indexed by user, or null
   * for none) for the next fold-in of the same model and targets: a search over the fold-in's
   * weights folds the same users in once per setting. Two threads racing on a user compute the same
   * profile.
   */
  static Ranker.User foldedIn(FoldIn foldIn, RatingsTable train, int u, Scale scale, FoldIn.Profile[] profiles) {
    Ranker.User rated = RankingEvaluator.ratingsOf(train, u);
    FoldIn.Profile profile = profiles == null ? null : profiles[u];
    if (profile == null) {
      profile = foldIn.profile(rated.movies(), rated.ratings(), scale.midpoint(), scale.span());
      if (profiles != null) {
        profiles[u] = profile;
      }
    }
    return new Ranker.User(rated.movies(), rated.ratings(), foldIn.rankingVector(profile));
  }
}
