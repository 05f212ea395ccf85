package dev.recsys.models.embedding;

/**
 * A biased embedding model: {@code score(u, i) = globalBias + userBias[u] + itemBias[i] + <P[u], Q[i]>}.
 * Embeddings are row-major ({@code userEmbeddings[u * dim + k]}). Arrays are owned by the instance
 * and never modified after construction, so instances are safe to share between threads.
 *
 * @param users number of users
 * @param items number of items (movies)
 * @param dim embedding dimension
 * @param userEmbeddings {@code users * dim} floats
 * @param itemEmbeddings {@code items * dim} floats
 * @param userBiases {@code users} floats (zeros for a ranking model without user bias)
 * @param itemBiases {@code items} floats
 * @param globalBias added to every score (the mean rating for a rating model)
 */
public record EmbeddingTables(
    int users,
    int items,
    int dim,
    float[] userEmbeddings,
    float[] itemEmbeddings,
    float[] userBiases,
    float[] itemBiases,
    float globalBias) {

  public EmbeddingTables {
    if (users < 0 || items < 0 || dim < 1) {
      throw new IllegalArgumentException("bad shape: users " + users + ", items " + items + ", dim " + dim);
    }
    check("user embeddings", userEmbeddings, (long) users * dim);
    check("item embeddings", itemEmbeddings, (long) items * dim);
    check("user biases", userBiases, users);
    check("item biases", itemBiases, items);
    if (!Float.isFinite(globalBias)) {
      throw new IllegalArgumentException("global bias is not finite");
    }
  }

  private static void check(String what, float[] array, long expected) {
    if (array.length != expected) {
      throw new IllegalArgumentException(what + ": " + array.length + " values, expected " + expected);
    }
  }

  /** The pairwise score of a user and an item. */
  public float score(int user, int item) {
    float s = globalBias + userBiases[user] + itemBiases[item];
    int u = user * dim;
    int i = item * dim;
    for (int k = 0; k < dim; k++) {
      s += userEmbeddings[u + k] * itemEmbeddings[i + k];
    }
    return s;
  }

  /** A copy of the embedding of a user. */
  public float[] userVector(int user) {
    float[] v = new float[dim];
    System.arraycopy(userEmbeddings, user * dim, v, 0, dim);
    return v;
  }

  /** Index of the first NaN or infinite value, described, or null when every value is finite. */
  public String firstNonFinite() {
    String[] names = {"user embeddings", "item embeddings", "user biases", "item biases"};
    float[][] arrays = {userEmbeddings, itemEmbeddings, userBiases, itemBiases};
    for (int a = 0; a < arrays.length; a++) {
      int i = dev.recsys.models.tensors.Tensor.firstNonFinite(arrays[a]);
      if (i >= 0) {
        return names[a] + "[" + i + "] = " + arrays[a][i];
      }
    }
    return null;
  }
}
