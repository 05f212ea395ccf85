package dev.recsys.models.bundle;

import java.util.List;

/**
 * The {@code serving} section of a manifest: what a loader needs beyond the files.
 *
 * @param ratingModel the selected rating model: {@code forest}, {@code mf}, {@code knn} or {@code baseline}
 * @param ratingScaleMin lowest star rating
 * @param ratingScaleMax highest star rating
 * @param mfGlobalBias the factorisation's global bias (TorchScript attributes are not exposed as parameters)
 * @param knnNeighbors neighbours per kNN prediction
 * @param smokeTests predictions the loaded version must reproduce
 */
public record ServingSpec(
    String ratingModel,
    float ratingScaleMin,
    float ratingScaleMax,
    float mfGlobalBias,
    int knnNeighbors,
    List<SmokeTest> smokeTests) {

  /**
   * Expected predictions for one known user.
   *
   * @param userId raw user id
   * @param movieIds raw movie ids
   * @param ratings the selected rating model's clamped predictions for them
   */
  public record SmokeTest(long userId, List<Long> movieIds, List<Float> ratings) {}
}
