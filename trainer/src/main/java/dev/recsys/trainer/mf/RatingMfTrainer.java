package dev.recsys.trainer.mf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.RatingMetrics;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Biased matrix factorisation for star ratings, trained with DJL: mean squared error on shuffled
 * mini-batches, L2 on the batch's embeddings and biases, Adam, early stopping on validation RMSE.
 */
public final class RatingMfTrainer {

  /** The trained model, its curve and the epoch it was taken from. */
  public record Result(EmbeddingTables model, List<EpochStats> curve, int bestEpoch, double validationRmse) {}

  private RatingMfTrainer() {}

  /**
   * Trains on {@code train}; {@code validation} drives early stopping (pass an empty table to train
   * for {@code maxEpochs}).
   */
  public static Result train(RatingsTable train, RatingsTable validation, MfConfig config, Progress progress) {
    float mean = (float) train.meanRating();
    MseObjective objective = new MseObjective(train, validation, config, mean);
    EmbeddingTrainingLoop.Result r =
        EmbeddingTrainingLoop.run(
            EmbeddingTrainingLoop.Start.fresh(train.numUsers(), train.numMovies(), config.dim(), mean, config.initStd()),
            config.learningRate(), config.maxEpochs(), config.patience(), config.seed(), objective, progress);
    return new Result(r.model(), r.curve(), r.bestEpoch(), r.bestMetric());
  }

  /**
   * Continues training {@code model} on {@code train} for a fixed number of epochs (no validation),
   * e.g. to let it learn from ratings that were held back for early stopping. The global bias is kept,
   * and the embedding space moves little, so anything defined in it (segments, clusters) stays valid.
   */
  public static Result fineTune(EmbeddingTables model, RatingsTable train, MfConfig config, int epochs, float learningRate, Progress progress) {
    MseObjective objective = new MseObjective(train, train.subset(new int[0]), config, model.globalBias());
    EmbeddingTrainingLoop.Result r =
        EmbeddingTrainingLoop.run(
            EmbeddingTrainingLoop.Start.from(model), learningRate, epochs, Integer.MAX_VALUE, config.seed() + 7, objective, progress);
    return new Result(r.model(), r.curve(), r.bestEpoch(), Double.NaN);
  }

  /** Mean squared error over shuffled rating mini-batches. */
  static final class MseObjective implements TrainingObjective {
    private final RatingsTable train;
    private final RatingsTable validation;
    private final MfConfig config;
    private final float mean;
    private final MiniBatches batches;
    private double lastDataLoss;

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
    public NDArray batchLoss(NDManager scope, EmbeddingParams p, int batch, SplittableRandom random) {
      int n = batches.size(batch);
      long[] users = new long[n];
      long[] items = new long[n];
      float[] ratings = new float[n];
      for (int k = 0; k < n; k++) {
        int row = batches.row(batch, k);
        users[k] = train.user(row);
        items[k] = train.movie(row);
        ratings[k] = train.rating(row) - mean;
      }
      NDArray u = scope.create(users);
      NDArray i = scope.create(items);
      NDArray pu = EmbeddingParams.rows(p.userEmb, u);
      NDArray qi = EmbeddingParams.rows(p.itemEmb, i);
      NDArray bu = EmbeddingParams.rows(p.userBias, u);
      NDArray bi = EmbeddingParams.rows(p.itemBias, i);
      NDArray prediction = pu.mul(qi).sum(new int[] {1}).add(bu).add(bi);
      NDArray data = prediction.sub(scope.create(ratings)).square().mean();
      NDArray penalty =
          pu.square().sum().add(qi.square().sum()).mul(config.l2())
              .add(bu.square().sum().add(bi.square().sum()).mul(config.biasL2()))
              .div(n);
      lastDataLoss = data.getFloat();
      return data.add(penalty);
    }

    @Override
    public double lastDataLoss() {
      return lastDataLoss;
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
