package dev.recsys.spark.fit;

import dev.recsys.models.rating.BiasModel;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The bias baseline keyed by raw ids, shipped to the executors so that explicit ALS fits what the
 * baseline leaves unexplained (as the one-machine factorisation does with its bias terms).
 */
public final class BiasLookup implements Serializable {

  private static final long serialVersionUID = 1L;

  private final long[] userIds;
  private final float[] userBiases;
  private final long[] movieIds;
  private final float[] movieBiases;
  private final float mean;

  /**
   * @param userIds raw id of each dense user index, ascending
   * @param movieIds raw id of each catalogue index, ascending
   */
  public BiasLookup(BiasModel baseline, long[] userIds, long[] movieIds) {
    this.userIds = userIds.clone();
    this.userBiases = baseline.userBiases().clone();
    this.movieIds = movieIds.clone();
    this.movieBiases = baseline.movieBiases().clone();
    this.mean = baseline.mean();
  }

  /** The rating minus the baseline's prediction (unknown ids contribute no bias). */
  public float residual(long user, long movie, float rating) {
    int u = Arrays.binarySearch(userIds, user);
    int m = Arrays.binarySearch(movieIds, movie);
    return rating - mean - (u >= 0 ? userBiases[u] : 0) - (m >= 0 ? movieBiases[m] : 0);
  }
}
