package dev.recsys.models.rating;

/**
 * Predicts the star rating a user would give a movie, both as dense indexes of the model version's
 * users and catalogue. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface RatingPredictor {

  /** The predicted rating (not clamped; see {@link RatingScale#clamp}). */
  float predict(int user, int movie);
}
