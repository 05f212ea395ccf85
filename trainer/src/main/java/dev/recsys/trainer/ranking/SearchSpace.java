package dev.recsys.trainer.ranking;

import java.util.List;

/**
 * The settings tried for each top-N model on the validation split, every combination once. The
 * defaults are the documented search space; a {@code --params} file may narrow it to one point.
 *
 * @param easeLambda EASE's L2 penalty
 * @param easeNeighbors weights kept per movie in the served EASE table (tried at the chosen λ)
 * @param ialsDim implicit ALS factors
 * @param ialsUnobserved implicit ALS weight of unrated pairs (α₀)
 * @param ialsL2 implicit ALS penalty (λ, scaled by row support)
 */
public record SearchSpace(List<Double> easeLambda, List<Integer> easeNeighbors, List<Integer> ialsDim, List<Double> ialsUnobserved, List<Double> ialsL2) {

  public SearchSpace {
    requireNonEmpty("ease lambda", easeLambda);
    requireNonEmpty("ease neighbours", easeNeighbors);
    for (int k : easeNeighbors) {
      if (k < 1) {
        throw new IllegalArgumentException("ease neighbours must be >= 1, got " + k);
      }
    }
    requireNonEmpty("ials dim", ialsDim);
    requireNonEmpty("ials unobserved weight", ialsUnobserved);
    requireNonEmpty("ials l2", ialsL2);
    for (double l : easeLambda) {
      if (!(l > 0) || !Double.isFinite(l)) {
        throw new IllegalArgumentException("ease lambda must be > 0, got " + l);
      }
    }
    for (int d : ialsDim) {
      if (d < 1 || d > 1024) {
        throw new IllegalArgumentException("ials dim must be in [1, 1024], got " + d);
      }
    }
    for (double w : ialsUnobserved) {
      if (!(w > 0) || !Double.isFinite(w)) {
        throw new IllegalArgumentException("ials unobserved weight must be > 0, got " + w);
      }
    }
    for (double l : ialsL2) {
      if (!(l > 0) || !Double.isFinite(l)) {
        throw new IllegalArgumentException("ials l2 must be > 0, got " + l);
      }
    }
    easeLambda = List.copyOf(easeLambda);
    easeNeighbors = List.copyOf(easeNeighbors);
    ialsDim = List.copyOf(ialsDim);
    ialsUnobserved = List.copyOf(ialsUnobserved);
    ialsL2 = List.copyOf(ialsL2);
  }

  private static void requireNonEmpty(String name, List<?> values) {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("the search space of " + name + " is empty: give at least one value");
    }
  }

  /** The documented space: a log-spaced grid around the values the literature reports for MovieLens. */
  public static SearchSpace defaults() {
    return new SearchSpace(List.of(50.0, 150.0, 400.0, 1000.0), List.of(100, 300, 1000), List.of(64), List.of(0.02, 0.1, 0.5), List.of(0.003, 0.01, 0.03));
  }
}
