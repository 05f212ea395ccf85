package dev.recsys.models.bundle;

import java.util.List;

/**
 * The {@code serving} section of a manifest: what a loader needs beyond the files.
 *
 * @param ratingModel the selected rating model: {@code forest}, {@code mf}, {@code knn} or {@code baseline}
 * @param ratingScaleMin lowest star rating
 * @param ratingScaleMax highest star rating
 * @param mfGlobalBias the factorisation's global bias (TorchScript attributes are not exposed as parameters)
 * @param mfL2 the factorisation's L2 penalty per rating, reused when folding in a new user
 * @param knnNeighbors neighbours per kNN prediction
 * @param rankingModel the selected top-N model: an embedding model scored from {@code ranking.pt}
 *     ({@code bpr}, {@code ials}, or {@code ranking} in versions before they were told apart),
 *     {@code ranking_mmr} (that model with diversity re-ranking), {@code ease} (the pruned EASE
 *     weights), {@code item_neighbors}, {@code rating_mf} or {@code popularity}
 * @param similarity the similarity of the similar-movies table
 * @param diversity default MMR weight when the selected ranking model is {@code ranking_mmr}
 * @param blendWeight EASE's share when the selected model is {@code blend} (EASE's weights and the
 *     {@code ranking.pt} embedding model, each standardised per user); 0 in versions without a blend
 * @param contentWeight content's weight for a new user with one rating ({@link
 *     dev.recsys.models.scoring.ContentBlend}); 0 (off) in versions before content blending
 * @param contentYearShare share of release-year closeness within content
 * @param foldIn settings of folding in new users to the ranking model
 * @param smokeTests predictions the loaded version must reproduce
 * @param ann the approximate top-k index over the ranking model's movies ({@code ann.*} files), or
 *     null when the version has none (catalogues below the trainer's threshold, and versions before
 *     2026-11-30)
 */
public record ServingSpec(
    String ratingModel,
    float ratingScaleMin,
    float ratingScaleMax,
    float mfGlobalBias,
    float mfL2,
    int knnNeighbors,
    String rankingModel,
    String similarity,
    double diversity,
    double blendWeight,
    float contentWeight,
    float contentYearShare,
    FoldInSpec foldIn,
    List<SmokeTest> smokeTests,
    dev.recsys.models.ann.MovieIndex.Settings ann) {

  /** The {@link #rankingModel()} name of the EASE top-N model. */
  public static final String EASE = "ease";

  /** The {@link #rankingModel()} name of the blend of EASE and the embedding model. */
  public static final String BLEND = "blend";

  /** {@link dev.recsys.models.scoring.FoldIn.Implicit} as the manifest records it. */
  public record FoldInSpec(float positiveTarget, float negativeTarget, float backgroundWeight, float l2) {}

  /**
   * Expected predictions for one known user.
   *
   * @param userId raw user id
   * @param movieIds raw movie ids
   * @param ratings the selected rating model's clamped predictions for them
   * @param rankingScores the ranking model's scores for them
   */
  public record SmokeTest(long userId, List<Long> movieIds, List<Float> ratings, List<Float> rankingScores) {}
}
