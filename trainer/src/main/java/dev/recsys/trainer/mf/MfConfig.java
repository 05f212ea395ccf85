package dev.recsys.trainer.mf;

/**
 * Settings of the rating matrix factorisation.
 *
 * @param dim embedding dimension
 * @param learningRate Adam step size
 * @param l2 L2 penalty on the embeddings of each batch's users and movies
 * @param biasL2 L2 penalty on their biases
 * @param batchSize ratings per mini-batch
 * @param maxEpochs upper bound on epochs
 * @param patience epochs without validation improvement before stopping
 * @param initStd standard deviation of the initial embeddings
 * @param seed random seed (initialisation and shuffling)
 * @param solver how the loss is minimised: Adam on mini-batches, or alternating least squares
 *     (learning rate and batch size unused; epochs are ALS iterations)
 */
public record MfConfig(
    int dim,
    float learningRate,
    float l2,
    float biasL2,
    int batchSize,
    int maxEpochs,
    int patience,
    float initStd,
    long seed,
    Solver solver) {

  /** How the factorisation's loss is minimised. */
  public enum Solver {
    /** Adam on shuffled mini-batches of ratings ({@link RatingMfTrainer}). */
    ADAM,
    /** Alternating least squares with conjugate-gradient row solves ({@link ExplicitAls}). */
    ALS,
    /**
     * ALS, and Adam and the Gibbs sampler too while the training set is small enough for them to be
     * cheap ({@link RatingMfTrainer#SMALL_DATA_LIMIT}); the one with the lower validation RMSE is kept.
     */
    AUTO,
    /**
     * Bayesian: the posterior averaged over Gibbs draws ({@link GibbsMf}); {@code dim} is one draw's
     * dimension, learning rate, L2 and epochs are unused (the sampler draws its own penalties).
     */
    GIBBS
  }

  /** Settings with the default solver. */
  public MfConfig(int dim, float learningRate, float l2, float biasL2, int batchSize, int maxEpochs, int patience, float initStd, long seed) {
    this(dim, learningRate, l2, biasL2, batchSize, maxEpochs, patience, initStd, seed, DEFAULT_SOLVER);
  }

  /** The solver used unless one is asked for. */
  public static final Solver DEFAULT_SOLVER = Solver.AUTO;

  public MfConfig {
    require(dim >= 1 && dim <= 1024, "dim must be in [1, 1024], got " + dim);
    require(learningRate > 0 && learningRate < 1, "learning rate must be in (0, 1), got " + learningRate);
    require(l2 >= 0 && biasL2 >= 0, "L2 penalties must be >= 0");
    require(batchSize >= 1, "batch size must be >= 1");
    require(maxEpochs >= 1, "max epochs must be >= 1");
    require(patience >= 1, "patience must be >= 1");
    require(solver != null, "a solver is required");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Defaults tuned on ml-100k and ml-latest-small (see docs/rating-models.md). */
  public static MfConfig defaults(long seed) {
    return new MfConfig(64, 0.005f, 0.1f, 0.005f, 1024, 80, 5, 0.05f, seed);
  }

  public MfConfig withSeed(long newSeed) {
    return new MfConfig(dim, learningRate, l2, biasL2, batchSize, maxEpochs, patience, initStd, newSeed, solver);
  }

  public MfConfig withMaxEpochs(int epochs) {
    return new MfConfig(dim, learningRate, l2, biasL2, batchSize, epochs, patience, initStd, seed, solver);
  }

  public MfConfig withSolver(Solver s) {
    return new MfConfig(dim, learningRate, l2, biasL2, batchSize, maxEpochs, patience, initStd, seed, s);
  }
}
