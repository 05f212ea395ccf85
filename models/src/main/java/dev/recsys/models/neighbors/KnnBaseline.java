package dev.recsys.models.neighbors;

import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.rating.RatingPredictor;

/**
 * Item-based k-nearest-neighbour rating prediction on top of the bias baseline:
 * {@code b(u,i) + sum_j s(i,j) (r(u,j) - b(u,j)) / sum_j |s(i,j)|} over the {@code k} most similar
 * neighbours of {@code i} that the user rated (only positive similarities). Falls back to the
 * baseline when the user rated none of them. Immutable.
 */
public record KnnBaseline(BiasModel baseline, UserRatings userRatings, ItemNeighbors neighbors, int k)
    implements RatingPredictor {

  @Override
  public float predict(int user, int movie) {
    return (float) predict(user, movie, null);
  }

  /**
   * The prediction, and in {@code support} (when not null) how much it rests on: the number of
   * neighbours used and the sum of their similarities.
   */
  public double predict(int user, int movie, double[] support) {
    float base = baseline.predict(user, movie);
    double num = 0;
    double den = 0;
    int used = 0;
    for (int n = neighbors.start(movie); n < neighbors.end(movie) && used < k; n++) {
      float s = neighbors.similarity(n);
      if (s <= 0) {
        break;
      }
      int j = neighbors.neighbor(n);
      float r = userRatings.rating(user, j);
      if (!Float.isNaN(r)) {
        num += s * (r - baseline.predict(user, j));
        den += s;
        used++;
      }
    }
    if (support != null) {
      support[0] = used;
      support[1] = den;
    }
    return den == 0 ? base : base + num / den;
  }
}
