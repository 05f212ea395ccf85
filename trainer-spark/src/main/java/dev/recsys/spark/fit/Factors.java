package dev.recsys.spark.fit;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import java.util.Arrays;

/**
 * User and movie factor rows of an ALS model as collected from the cluster, keyed by raw id.
 *
 * @param rank factors per row
 * @param userIds raw user ids, one per row of {@code users}
 * @param users {@code rank} values per user
 * @param movieIds raw movie ids, one per row of {@code movies}
 * @param movies {@code rank} values per movie
 */
public record Factors(int rank, int[] userIds, float[] users, int[] movieIds, float[] movies) {

  /**
   * Dense tables in the version's order: users as {@code userIds}, movies as the catalogue. A user
   * or movie the model never saw (none of their ratings in its input) gets zero factors, so only
   * the biases score it.
   */
  public EmbeddingTables dense(long[] versionUsers, Catalog catalog, float[] userBiases, float[] movieBiases, float global) {
    float[] p = new float[versionUsers.length * rank];
    float[] q = new float[catalog.size() * rank];
    for (int i = 0; i < userIds.length; i++) {
      int u = Arrays.binarySearch(versionUsers, userIds[i]);
      if (u >= 0) {
        System.arraycopy(users, i * rank, p, u * rank, rank);
      }
    }
    for (int i = 0; i < movieIds.length; i++) {
      int m = catalog.indexOf(movieIds[i]);
      if (m >= 0) {
        System.arraycopy(movies, i * rank, q, m * rank, rank);
      }
    }
    return new EmbeddingTables(versionUsers.length, catalog.size(), rank, p, q, userBiases, movieBiases, global);
  }
}
