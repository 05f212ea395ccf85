package dev.recsys.trainer.mf;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RatingMetrics;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Biased matrix factorisation for star ratings: mean squared error on shuffled mini-batches, L2 on
 * the batch's embeddings and biases, Adam on the rows each batch touched, early stopping on
 * validation RMSE.
 */
public final class RatingMfTrainer {

  /**
   * The trained model, its curve and the epoch it was taken from.
   *
   * @param solver the solver that produced it ({@code adam} or {@code als})
   * @param solverValidationRmse each solver tried, with its validation RMSE (one entry unless {@code auto})
   */
  public record Result(EmbeddingTables model, List<EpochStats> curve, int bestEpoch, double validationRmse, String solver,
      java.util.Map<String, Double> solverValidationRmse) {

    public Result(EmbeddingTables model, List<EpochStats> curve, int bestEpoch, double validationRmse, MfConfig.Solver solver) {
      this(model, curve, bestEpoch, validationRmse, solver.name().toLowerCase(java.util.Locale.ROOT),
          java.util.Map.of(solver.name().toLowerCase(java.util.Locale.ROOT), validationRmse));
    }

    /** The solver to continue (fine-tune) this model with. */
    public MfConfig.Solver solverUsed() {
      return MfConfig.Solver.valueOf(solver.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Most training ratings for which {@link MfConfig.Solver#AUTO} also tries Adam and the Gibbs
   * sampler: Adam's cost is epochs times ratings with a large constant (measured: 41 epochs in 30 s
   * at 850k ratings, 6 minutes at 4.25M on 2 cores), the sampler's 240 sweeps times ratings, where
   * ALS took 11 s at 850k. On the validation parts measured so far, Adam beat ALS on ml-100k (mean
   * validation RMSE inside 5 folds 0.9161 against 0.9191), the sampler beat both there, and ALS won on
   * a 1M synthetic set (0.8343 against Adam's 0.8389): below this size all are fitted and validation
   * decides.
   */
  public static final int SMALL_DATA_LIMIT = 500_000;

  private RatingMfTrainer() {}

  /**
   * Trains on {@code train}; {@code validation} drives early stopping (pass an empty table to train
   * for {@code maxEpochs}).
   */
  public static Result train(RatingsTable train, RatingsTable validation, MfConfig config, Progress progress) {
    if (config.solver() == MfConfig.Solver.GIBBS) {
      GibbsMf.Settings gibbs = GibbsMf.Settings.defaults(config.seed());
      progress.stage("gibbs, sweep", gibbs.sweeps());
      return GibbsMf.train(train, validation, gibbs, progress);
    }
    if (config.solver() == MfConfig.Solver.ALS) {
      progress.stage("als, epoch", config.maxEpochs());
      return ExplicitAls.train(train, validation, config, progress);
    }
    if (config.solver() == MfConfig.Solver.AUTO) {
      // Each candidate counts its own epochs or sweeps (a stage of the progress line).
      Result als = train(train, validation, config.withSolver(MfConfig.Solver.ALS), progress);
      if (train.size() > SMALL_DATA_LIMIT || validation.size() == 0) {
        return als;
      }
      Result kept = als;
      java.util.Map<String, Double> tried = new java.util.LinkedHashMap<>();
      tried.put(als.solver(), als.validationRmse());
      for (MfConfig.Solver other : List.of(MfConfig.Solver.ADAM, MfConfig.Solver.GIBBS)) {
        Result r = train(train, validation, config.withSolver(other), progress);
        tried.put(r.solver(), r.validationRmse());
        kept = r.validationRmse() < kept.validationRmse() ? r : kept;
      }
      return new Result(kept.model(), kept.curve(), kept.bestEpoch(), kept.validationRmse(), kept.solver(), tried);
    }
    progress.stage("adam, epoch", config.maxEpochs());
    float mean = (float) train.meanRating();
    MseObjective objective = new MseObjective(train, validation, config, mean);
    EmbeddingTrainingLoop.Result r =
        EmbeddingTrainingLoop.run(
            EmbeddingTrainingLoop.Start.fresh(train.numUsers(), train.numMovies(), config.dim(), mean, config.initStd()),
            config.learningRate(), config.maxEpochs(), config.patience(), config.seed(), objective, progress);
    return new Result(r.model(), r.curve(), r.bestEpoch(), r.bestMetric(), MfConfig.Solver.ADAM);
  }

  /**
   * Continues training {@code model} on {@code train} for a fixed number of epochs (no validation),
   * e.g. to let it learn from ratings that were held back for early stopping. The global bias is kept,
   * and the embedding space moves little, so anything defined in it (segments, clusters) stays valid.
   * Except for the Gibbs sampler: it has no point estimate to continue from and draws a fresh chain on
   * {@code train} with the same settings, a new embedding space ({@link #keepsSpace}).
   */
  public static Result fineTune(EmbeddingTables model, RatingsTable train, MfConfig config, int epochs, float learningRate, Progress progress) {
    if (config.solver() == MfConfig.Solver.GIBBS) {
      return GibbsMf.train(train, train.subset(new int[0]), GibbsMf.Settings.defaults(config.seed()), progress);
    }
    if (config.solver() != MfConfig.Solver.ADAM) {
      return ExplicitAls.fineTune(model, train, config, epochs, progress);
    }
    MseObjective objective = new MseObjective(train, train.subset(new int[0]), config, model.globalBias());
    EmbeddingTrainingLoop.Result r =
        EmbeddingTrainingLoop.run(
            EmbeddingTrainingLoop.Start.from(model), learningRate, epochs, Integer.MAX_VALUE, config.seed() + 7, objective, progress);
    return new Result(r.model(), r.curve(), r.bestEpoch(), Double.NaN, MfConfig.Solver.ADAM);
  }

  /** Whether {@link #fineTune} with {@code solver} keeps the model's embedding space (false: clusters defined in it must be found again). */
  public static boolean keepsSpace(MfConfig.Solver solver) {
    return solver != MfConfig.Solver.GIBBS;
  }

  /** Mean squared error over shuffled rating mini-batches. */
  static final class MseObjective implements TrainingObjective {
    private final RatingsTable train;
    private final RatingsTable validation;
    private final MfConfig config;
    private final float mean;
    private final MiniBatches batches;

    MseObjective(RatingsTable train, RatingsTable validation, MfConfig config, float mean) {
      this.train = train;
      this.validation = validation;
      this.config = config;
      this.mean = mean;
      this.batches = new MiniBatches(train.size(), config.batchSize());
    }

    @Override
    public int startEpoch(SplittableRandom random) {
      return batches.shuffle(random);
    }

    @Override
    public double accumulate(EmbeddingParams p, int batch, SplittableRandom random) {
      int n = batches.size(batch);
      int d = p.dim;
      EmbeddingParams.Side users = p.users;
      EmbeddingParams.Side items = p.items;
      float[] pe = users.embedding;
      float[] qe = items.embedding;
      float[] pg = users.embeddingGrad;
      float[] qg = items.embeddingGrad;
      // Loss = mean squared error + (l2 * sum |p_u|^2 + |q_i|^2 + biasL2 * (b_u^2 + b_i^2)) / n over the batch.
      float scale = 2f / n;
      float embeddingDecay = scale * config.l2();
      float biasDecay = scale * config.biasL2();
      double loss = 0;
      for (int k = 0; k < n; k++) {
        int row = batches.row(batch, k);
        int u = train.user(row);
        int i = train.movie(row);
        int pu = u * d;
        int qi = i * d;
        float dot = 0;
        for (int f = 0; f < d; f++) {
          dot += pe[pu + f] * qe[qi + f];
        }
        float error = dot + users.bias[u] + items.bias[i] - (train.rating(row) - mean);
        loss += error * error;
        float g = scale * error;
        for (int f = 0; f < d; f++) {
          float pf = pe[pu + f];
          float qf = qe[qi + f];
          pg[pu + f] += g * qf + embeddingDecay * pf;
          qg[qi + f] += g * pf + embeddingDecay * qf;
        }
        users.biasGrad[u] += g + biasDecay * users.bias[u];
        items.biasGrad[i] += g + biasDecay * items.bias[i];
        users.touch(u);
        items.touch(i);
      }
      return loss / n;
    }

    @Override
    public double validate(EmbeddingTables snapshot) {
      return validation.size() == 0 ? Double.NaN : RatingMetrics.of(validation, snapshot::score).rmse();
    }

    @Override
    public String metricName() {
      return "val RMSE";
    }
  }
}
