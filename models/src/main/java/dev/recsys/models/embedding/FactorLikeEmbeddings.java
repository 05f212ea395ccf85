package dev.recsys.models.embedding;

import java.util.SplittableRandom;

/**
 * Synthetic embedding tables with the structure trained factor models have, for benchmarks and
 * tests of anything that exploits that structure (graph indexes above all): the synthetic versions
 * of scale benchmarks and the index's own tests draw from here.
 */
public final class FactorLikeEmbeddings {

  private FactorLikeEmbeddings() {}

  /** Rank of the taste space that synthetic embeddings share (trained factor models are near low rank). */
  public static final int TASTE_RANK = 8;

  /**
   * Embeddings shaped like trained factors rather than i.i.d. noise: every row is a point of one
   * shared {@link #TASTE_RANK}-dimensional taste space (a random basis of the embedding space), with
   * a log-normal spread of lengths (popular movies get long vectors in trained models) and a little
   * isotropic noise. Inner-product structure is what nearest-neighbour indexes exploit; on i.i.d.
   * vectors every graph index loses its recall (see ../shared/TOOLING.md), which would make any
   * recall figure measured on these versions meaningless.
   */
  public static EmbeddingTables generate(int users, int items, int dim, float[] userBiases, float[] itemBiases, float global,
      SplittableRandom random) {
    int rank = Math.min(TASTE_RANK, dim);
    double[] basis = new double[rank * dim];
    for (int i = 0; i < basis.length; i++) {
      basis[i] = random.nextGaussian() / Math.sqrt(rank);
    }
    return new EmbeddingTables(users, items, dim, rows(users, dim, basis, rank, random), rows(items, dim, basis, rank, random),
        userBiases.clone(), itemBiases.clone(), global);
  }

  private static float[] rows(int n, int dim, double[] basis, int rank, SplittableRandom random) {
    float[] out = new float[n * dim];
    double[] latent = new double[rank];
    for (int r = 0; r < n; r++) {
      double length = Math.exp(0.5 * random.nextGaussian());
      for (int k = 0; k < rank; k++) {
        latent[k] = random.nextGaussian();
      }
      for (int f = 0; f < dim; f++) {
        double v = 0;
        for (int k = 0; k < rank; k++) {
          v += latent[k] * basis[k * dim + f];
        }
        out[r * dim + f] = (float) (0.1 * length * v + 0.01 * random.nextGaussian());
      }
    }
    return out;
  }
}
