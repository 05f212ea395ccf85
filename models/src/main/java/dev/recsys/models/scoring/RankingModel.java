package dev.recsys.models.scoring;

import dev.recsys.models.embedding.EmbeddingTables;

/**
 * The top-N embedding model as a server holds it: the user rows, and the movie side once, in the
 * scoring kernel's layout ({@link DotScorer}). Everything that reads movie vectors after a load
 * (scoring, fold-in, the graph index's rescoring) reads them from that one copy: a bundle used to
 * keep the row-major matrix it was read into beside the kernel's blocked copy, two copies of the
 * largest array of a big catalogue (1.3 GB each at 10M movies x 32). Immutable and thread-safe.
 */
public final class RankingModel {

  private final int users;
  private final int dim;
  private final float[] userEmbeddings;
  private final float[] userBiases;
  private final float globalBias;
  private final DotScorer movies;

  private RankingModel(EmbeddingTables tables) {
    this.users = tables.users();
    this.dim = tables.dim();
    this.userEmbeddings = tables.userEmbeddings();
    this.userBiases = tables.userBiases();
    this.globalBias = tables.globalBias();
    this.movies = DotScorer.of(tables);
  }

  /** The model of {@code tables}, keeping their user arrays and a kernel copy of their movie side. */
  public static RankingModel of(EmbeddingTables tables) {
    return new RankingModel(tables);
  }

  public int users() {
    return users;
  }

  public int items() {
    return movies.items();
  }

  public int dim() {
    return dim;
  }

  /** The movie side, as the scoring kernel reads it. */
  public DotScorer movies() {
    return movies;
  }

  /** A copy of the embedding of a user. */
  public float[] userVector(int user) {
    float[] v = new float[dim];
    System.arraycopy(userEmbeddings, user * dim, v, 0, dim);
    return v;
  }

  /** The pairwise score of a user and a movie, biases included (as {@link EmbeddingTables#score}). */
  public float score(int user, int movie) {
    return globalBias + userBiases[user] + movies.score(userVector(user), movie);
  }

  /**
   * A new row-major copy of the whole model, for tools and checks that want {@link
   * EmbeddingTables}; this model does not keep it.
   */
  public EmbeddingTables toTables() {
    return new EmbeddingTables(users, items(), dim, userEmbeddings, movies.rowMajor(), userBiases, movies.biases(), globalBias);
  }
}
