package dev.recsys.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.embedding.EmbeddingTables;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Synthetic versions' embeddings have the low-rank structure of trained factors, not i.i.d. noise. */
class SyntheticEmbeddingsTest {

  @Test
  void movieVectors_concentrateInTheTasteSpace_unlikeIidNoise() {
    int dim = 32;
    int items = 3000;
    EmbeddingTables t = dev.recsys.models.embedding.FactorLikeEmbeddings.generate(10, items, dim, new float[10], new float[items], 0, new SplittableRandom(3));
    double share = topEigenShare(gram(t.itemEmbeddings(), items, dim), dim, dev.recsys.models.embedding.FactorLikeEmbeddings.TASTE_RANK);
    assertTrue(share > 0.95, "the top " + dev.recsys.models.embedding.FactorLikeEmbeddings.TASTE_RANK + " of " + dim + " directions hold " + share + " of the variance");

    float[] iid = new float[items * dim];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < iid.length; i++) {
      iid[i] = (float) r.nextGaussian();
    }
    double iidShare = topEigenShare(gram(iid, items, dim), dim, dev.recsys.models.embedding.FactorLikeEmbeddings.TASTE_RANK);
    assertTrue(iidShare < 0.35, "i.i.d. vectors spread over every direction (" + iidShare + "), the contrast this guards");
  }

  private static double[] gram(float[] rows, int n, int dim) {
    double[] g = new double[dim * dim];
    for (int r = 0; r < n; r++) {
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          g[a * dim + b] += (double) rows[r * dim + a] * rows[r * dim + b];
        }
      }
    }
    return g;
  }

  /** Share of the trace held by the {@code k} largest eigenvalues (power iteration with deflation). */
  private static double topEigenShare(double[] g, int dim, int k) {
    double trace = 0;
    for (int i = 0; i < dim; i++) {
      trace += g[i * dim + i];
    }
    double[] m = g.clone();
    double top = 0;
    for (int e = 0; e < k; e++) {
      double[] v = new double[dim];
      java.util.Arrays.fill(v, 1 / Math.sqrt(dim));
      v[e] += 0.5;
      double lambda = 0;
      for (int it = 0; it < 500; it++) {
        double[] w = new double[dim];
        for (int a = 0; a < dim; a++) {
          for (int b = 0; b < dim; b++) {
            w[a] += m[a * dim + b] * v[b];
          }
        }
        double norm = 0;
        for (double x : w) {
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        lambda = norm;
        for (int a = 0; a < dim; a++) {
          v[a] = w[a] / norm;
        }
      }
      top += lambda;
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          m[a * dim + b] -= lambda * v[a] * v[b];
        }
      }
    }
    return top / trace;
  }
}
