package dev.recsys.trainer.mf;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.trainer.data.RatingsTable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The ranking model: embeddings trained on implicit feedback (who rated what, whatever the
 * stars) with the Bayesian Personalised Ranking loss, {@code -log sigmoid(s(u, i) - s(u, j))} for a
 * rated movie {@code i} and sampled unrated movies {@code j}, where
 * {@code s(u, i) = <p_u, q_i> + b_i}. Adam on the rows each batch touched, L2, early stopping on a
 * validation ranking metric.
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
    public double accumulate(EmbeddingParams p, int batch, SplittableRandom random) {
      int n = batches.size(batch);
      int negatives = config.negatives();
      int movies = train.numMovies();
      int d = p.dim;
      EmbeddingParams.Side users = p.users;
      EmbeddingParams.Side items = p.items;
      float[] pe = users.embedding;
      float[] qe = items.embedding;
      float[] pg = users.embeddingGrad;
      float[] qg = items.embeddingGrad;
      float[] bias = items.bias;
      float[] biasGrad = items.biasGrad;
      // Loss = mean over the n * negatives triples of softplus(-x), x = <p_u, q_i - q_j> + b_i - b_j,
      // plus an L2 penalty that counts each gathered row once per triple it takes part in.
      float triples = (float) n * negatives;
      float embeddingDecay = 2 * config.l2() / triples;
      float biasDecay = 2 * config.biasL2() / triples;
      float[] userGrad = new float[d];
      double loss = 0;
      for (int k = 0; k < n; k++) {
        int row = batches.row(batch, k);
        int u = train.user(row);
        int i = train.movie(row);
        if (train.userCount(u) >= movies) {
          continue; // rated every movie: nothing to rank below the positive
        }
        int pu = u * d;
        int qi = i * d;
        java.util.Arrays.fill(userGrad, 0);
        for (int s = 0; s < negatives; s++) {
          int j;
          do {
            j = random.nextInt(movies);
          } while (rated(u, j));
          int qj = j * d;
          float x = bias[i] - bias[j];
          for (int f = 0; f < d; f++) {
            x += pe[pu + f] * (qe[qi + f] - qe[qj + f]);
          }
          // softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)), stable for any x; its slope in x is -sigmoid(-x).
          loss += Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
          float c = (float) (-1 / (1 + Math.exp(x))) / triples;
          for (int f = 0; f < d; f++) {
            float pf = pe[pu + f];
            userGrad[f] += c * (qe[qi + f] - qe[qj + f]);
            qg[qi + f] += c * pf;
            qg[qj + f] += -c * pf + embeddingDecay * qe[qj + f];
          }
          biasGrad[i] += c;
          biasGrad[j] += -c + biasDecay * bias[j];
          items.touch(j);
        }
        for (int f = 0; f < d; f++) {
          pg[pu + f] += userGrad[f] + negatives * embeddingDecay * pe[pu + f];
          qg[qi + f] += negatives * embeddingDecay * qe[qi + f];
        }
        biasGrad[i] += negatives * biasDecay * bias[i];
        users.touch(u);
        items.touch(i);
      }
      return loss / triples;
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
    public double validate(EmbeddingTables snapshot) {
      return validation == null ? Double.NaN : validation.applyAsDouble(snapshot);
    }

    @Override
    public String metricName() {
      return "val -NDCG";
    }

  }
}
