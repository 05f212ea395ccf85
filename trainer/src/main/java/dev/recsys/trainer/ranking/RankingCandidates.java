package dev.recsys.trainer.ranking;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
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
    c.put(RankingPipeline.BPR, embedding(f.bpr(), null));
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
    Scale scale = Scale.of(train);
    Candidate collaborative = collaborativeFoldIn(f, train, scale);
    ContentBlend blend = content(catalog, f.contentWeight(), f.contentYearShare());
    return new Candidate(withContent(collaborative.ranker(), blend, scale), collaborative.users(), null);
  }

  /** Fold-in of the selected model without content. */
  static Candidate collaborativeFoldIn(RankingPipeline.Fitted f, RatingsTable train, Scale scale) {
    return switch (f.selected()) {
      case RankingPipeline.EASE -> new Candidate(preferences(new NeighborRanker(f.ease(), true), scale), rated(train), null);
      case RankingPipeline.ITEM_NEIGHBORS -> new Candidate(preferences(new NeighborRanker(f.similar()), scale), rated(train), null);
      case RankingPipeline.POPULARITY -> new Candidate(new PopularityRanker(f.popularity()), u -> null, null);
      case RankingPipeline.BLEND -> {
        FoldIn foldIn = FoldIn.implicit(f.ranking(), f.foldIn());
        Ranker stated = new BlendRanker(preferences(new NeighborRanker(f.ease(), true), scale), new EmbeddingRanker(DotScorer.of(f.ranking())),
            (float) f.blendWeight());
        yield new Candidate(stated, u -> foldedIn(foldIn, train, u, scale), null);
      }
      default -> {
        FoldIn foldIn = FoldIn.implicit(f.ranking(), f.foldIn());
        yield new Candidate(new EmbeddingRanker(DotScorer.of(f.ranking())), u -> foldedIn(foldIn, train, u, scale), null);
      }
    };
  }

  /**
   * What new users known by {@code profiles} (their only ratings) would get: popularity, EASE's
   * preference sums, the selected model's fold-in without content, and the served fold-in (with
   * the content blend chosen on validation).
   */
  public static Map<String, Candidate> newUsers(RankingPipeline.Fitted f, RatingsTable profiles, Catalog catalog) {
    Scale scale = Scale.of(profiles);
    Map<String, Candidate> c = new LinkedHashMap<>();
    c.put(RankingPipeline.POPULARITY, new Candidate(new PopularityRanker(f.popularity()), u -> null, null));
    if (f.ease() != null) {
      c.put(RankingPipeline.EASE, new Candidate(preferences(new NeighborRanker(f.ease(), true), scale), rated(profiles), null));
    }
    c.put(f.selected() + "_without_content", collaborativeFoldIn(f, profiles, scale));
    c.put(RankingPipeline.FOLD_IN, foldIn(f, profiles, catalog));
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

  /** {@code base}'s scores with content mixed in for the user's stated ratings. */
  static Ranker withContent(Ranker base, ContentBlend blend, Scale scale) {
    return new Ranker() {
      @Override
      public void score(User user, float[] out) {
        base.score(user, out);
        blend.apply(user.movies(), user.ratings(), scale.midpoint(), scale.span(), out);
      }

      @Override
      public int items() {
        return base.items();
      }
    };
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
  static Ranker blend(dev.recsys.models.neighbors.ItemNeighbors ease, EmbeddingTables embedding, float easeWeight) {
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
    Ranker.User rated = RankingEvaluator.ratingsOf(train, u);
    return new Ranker.User(rated.movies(), rated.ratings(), foldIn.rankingVector(rated.movies(), rated.ratings(), scale.midpoint(), scale.span()));
  }
}
