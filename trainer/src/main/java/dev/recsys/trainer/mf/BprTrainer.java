package dev.recsys.trainer.mf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.RatingsTable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The ranking model: embeddings trained with DJL on implicit feedback (who rated what, whatever the
 * stars) with the Bayesian Personalised Ranking loss, {@code -log sigmoid(s(u, i) - s(u, j))} for a
 * rated movie {@code i} and sampled unrated movies {@code j}, where
 * {@code s(u, i) = <p_u, q_i> + b_i}. Adam, L2, early stopping on a validation ranking metric.
 */
public final class BprTrainer {

  /** The trained model and its curve. */
  public record Result(EmbeddingTables model, List<EpochStats> curve, int bestEpoch, double bestValidation) {}

  private BprTrainer() {}

  /**
   * @param validationLoss lower-is-better validation metric of a snapshot (e.g. minus NDCG@10), or
   *     null to train for {@code maxEpochs}
   */
  public static Result train(RatingsTable train, BprConfig config, ToDoubleFunction<EmbeddingTables> validationLoss, Progress progress) {
    BprObjective objective = new BprObjective(train, config, validationLoss);
    EmbeddingTrainingLoop.Result r =
        EmbeddingTrainingLoop.run(
            EmbeddingTrainingLoop.Start.fresh(train.numUsers(), train.numMovies(), config.dim(), 0f, config.initStd()),
            config.learningRate(), config.maxEpochs(), config.patience(), config.seed(), objective, progress);
    return new Result(r.model(), r.curve(), r.bestEpoch(), r.bestMetric());
  }

  /**
   * Continues training {@code model} on {@code train} for a fixed number of epochs without
   * validation (to learn from the ratings held back for early stopping).
   */
  public static Result fineTune(EmbeddingTables model, RatingsTable train, BprConfig config, int epochs, float learningRate, Progress progress) {
    EmbeddingTrainingLoop.Result r =
        EmbeddingTrainingLoop.run(EmbeddingTrainingLoop.Start.from(model), learningRate, epochs, Integer.MAX_VALUE,
            config.seed() + 7, new BprObjective(train, config, null), progress);
    return new Result(r.model(), r.curve(), r.bestEpoch(), Double.NaN);
  }

  static final class BprObjective implements TrainingObjective {
    private final RatingsTable train;
    private final BprConfig config;
    private final ToDoubleFunction<EmbeddingTables> validation;
    private final MiniBatches batches;
    private double lastDataLoss;

    BprObjective(RatingsTable train, BprConfig config, ToDoubleFunction<EmbeddingTables> validation) {
      this.train = train;
      this.config = config;
      this.validation = validation;
      this.batches = new MiniBatches(train.size(), config.batchSize());
    }

    @Override
    public int startEpoch(SplittableRandom random) {
      return batches.shuffle(random);
    }

    @Override
    public NDArray batchLoss(NDManager scope, EmbeddingParams p, int batch, SplittableRandom random) {
      int n = batches.size(batch);
      int negatives = config.negatives();
      long[] users = new long[n];
      long[] positives = new long[n];
      long[] sampled = new long[n * negatives];
      int movies = train.numMovies();
      for (int k = 0; k < n; k++) {
        int row = batches.row(batch, k);
        int u = train.user(row);
        users[k] = u;
        positives[k] = train.movie(row);
        for (int s = 0; s < negatives; s++) {
          int j;
          do {
            j = random.nextInt(movies);
          } while (rated(u, j));
          sampled[k * negatives + s] = j;
        }
      }
      // Each user and positive is gathered once and broadcast against its negatives: [n, 1, d]
      // against [n, negatives, d].
      NDArray pu = EmbeddingParams.rows(p.userEmb, scope.create(users));
      NDArray qi = EmbeddingParams.rows(p.itemEmb, scope.create(positives));
      NDArray bi = EmbeddingParams.rows(p.itemBias, scope.create(positives));
      NDArray negativeIndex = scope.create(sampled);
      NDArray qj = EmbeddingParams.rows(p.itemEmb, negativeIndex).reshape(n, negatives, p.dim);
      NDArray bj = EmbeddingParams.rows(p.itemBias, negativeIndex).reshape(n, negatives);
      NDArray x = pu.expandDims(1).mul(qi.expandDims(1).sub(qj)).sum(new int[] {2}).add(bi.expandDims(1)).sub(bj);
      // -log sigmoid(x) = softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)), stable for any x.
      NDArray data = x.neg().maximum(0).add(x.abs().neg().exp().add(1).log()).mean();
      // The penalty counts each gathered row once per triple it takes part in, as if the triples
      // were separate samples.
      NDArray penalty =
          pu.square().sum().add(qi.square().sum()).mul(negatives).add(qj.square().sum()).mul(config.l2())
              .add(bi.square().sum().mul(negatives).add(bj.square().sum()).mul(config.biasL2()))
              .div(n * negatives);
      lastDataLoss = data.getFloat();
      return data.add(penalty);
    }

    private boolean rated(int user, int movie) {
      int lo = train.userStart(user);
      int hi = train.userEnd(user) - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int v = train.movie(mid);
        if (v < movie) {
          lo = mid + 1;
        } else if (v > movie) {
          hi = mid - 1;
        } else {
          return true;
        }
      }
      return false;
    }

    @Override
    public double lastDataLoss() {
      return lastDataLoss;
    }

    @Override
    public double validate(EmbeddingTables snapshot) {
      return validation == null ? Double.NaN : validation.applyAsDouble(snapshot);
    }

    @Override
    public String metricName() {
      return "val -NDCG";
    }

  }
}
