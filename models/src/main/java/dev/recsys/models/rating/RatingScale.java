package dev.recsys.models.rating;

/**
 * The range of a data set's star ratings (0.5 to 5 for ml-latest, 1 to 5 for ml-100k); predictions
 * outside it are clamped, which is never worse for squared error.
 */
public record RatingScale(float min, float max) {

  public RatingScale {
    if (!(min < max) || !Float.isFinite(min) || !Float.isFinite(max)) {
      throw new IllegalArgumentException("bad rating scale [" + min + ", " + max + "]");
    }
  }

  public float clamp(float rating) {
    return rating < min ? min : Math.min(rating, max);
  }

  /** A predictor whose outputs are clamped to this scale. */
  public RatingPredictor clamped(RatingPredictor predictor) {
    return (u, m) -> clamp(predictor.predict(u, m));
  }
}
