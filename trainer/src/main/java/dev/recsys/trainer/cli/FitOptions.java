package dev.recsys.trainer.cli;

import dev.recsys.trainer.mf.BprConfig;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.ranking.ParamsFile;
import dev.recsys.trainer.ranking.RankingPipeline;
import dev.recsys.trainer.rating.ForestFitter;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.rating.SegmentFitter;
import picocli.CommandLine.Option;

/** Model settings shared by {@code evaluate} and {@code train}. */
final class FitOptions {

  @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed and data give the same metrics (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--clusters", defaultValue = "7",
      description = "User segments: a number, or 'auto' for the elbow's knee over k = 2..15 (default: ${DEFAULT-VALUE}).")
  String clusters;

  @Option(names = "--movie-clusters", defaultValue = "12", description = "Movie clusters (default: ${DEFAULT-VALUE}).")
  int movieClusters;

  @Option(names = "--mf-dim", defaultValue = "64", description = "Matrix factorisation dimension (default: ${DEFAULT-VALUE}).")
  int mfDim;

  @Option(names = "--mf-solver", defaultValue = "auto",
      description = "How the rating factorisation is fitted: adam (mini-batches), als (alternating least squares: bounded work per rating), "
          + "gibbs (Bayesian: the average of 40 Gibbs draws of 6 dimensions, whatever --mf-dim says), "
          + "or auto (ALS, and Adam and Gibbs too below 500k training ratings; the lowest validation RMSE is kept) (default: ${DEFAULT-VALUE}).")
  String mfSolver;

  @Option(names = "--mf-epochs", defaultValue = "80", description = "Most epochs of the factorisation; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
  int mfEpochs;

  @Option(names = "--bpr-dim", defaultValue = "64", description = "Ranking model dimension (default: ${DEFAULT-VALUE}).")
  int bprDim;

  @Option(names = "--bpr-epochs", defaultValue = "60", description = "Most epochs of the ranking model; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
  int bprEpochs;

  @Option(names = "--diversity", defaultValue = "0.3", description = "MMR weight of the re-ranked candidate, in [0, 1] (default: ${DEFAULT-VALUE}).")
  double diversity;

  @Option(names = "--trees", defaultValue = "" + ForestFitter.AUTO_TREES,
      description = "Random Forest trees; 0 (the default): 100, or fewer (at least 60) where trees x rows would pass 6 million.")
  int trees;

  @Option(names = "--forest-rows", defaultValue = "" + ForestFitter.DEFAULT_MAX_ROWS,
      description = "Most ratings the Random Forest learns from; above it, a seeded sample of this size (default: ${DEFAULT-VALUE}).")
  int forestRows;

  @Option(names = "--params",
      description = "Top-N search space as JSON lists (keys ease_lambda, ease_neighbors, ials_dim, ials_unobserved, ials_l2; "
          + "others keep the documented defaults); 'tune' writes one, with the data it chose on: evaluate refuses one tuned on the data "
          + "it evaluates.")
  java.nio.file.Path params;

  /** The --params file as read once (the search space and the check of the data it was tuned on both use it). */
  private ParamsFile.Params paramsRead;

  private ParamsFile.Params params() throws java.io.IOException {
    if (paramsRead == null) {
      paramsRead = ParamsFile.read(params);
    }
    return paramsRead;
  }

  RankingPipeline.Config rankingConfig() throws java.io.IOException {
    if (bprEpochs < 1 || bprDim < 1 || !(diversity >= 0 && diversity <= 1)) {
      throw new IllegalArgumentException("--bpr-epochs and --bpr-dim must be >= 1, --diversity in [0, 1]");
    }
    BprConfig d = BprConfig.defaults(seed);
    BprConfig bpr = new BprConfig(bprDim, d.learningRate(), d.l2(), d.biasL2(), d.negatives(), d.batchSize(), bprEpochs, d.patience(), d.initStd(), seed);
    RankingPipeline.Config c = RankingPipeline.Config.defaults(seed).withBpr(bpr).withDiversity(diversity);
    return params == null ? c : c.withSpace(params().space());
  }

  /**
   * Refuses settings that {@code tune} chose on {@code data} itself: they were chosen looking at the
   * ratings an evaluation of {@code data} holds out as its test part, so its test figures would have
   * fed a choice. Training on them is what they are for; evaluating with them is not.
   */
  void requireParamsNotTunedOn(dev.recsys.trainer.data.MovieLensData data) throws java.io.IOException {
    if (params == null) {
      return;
    }
    var tunedOn = params().tunedOn();
    if (tunedOn.isPresent() && tunedOn.get().sha256().equals(data.sha256())) {
      throw new IllegalArgumentException("--params " + params + " was tuned on " + tunedOn.get().data() + " itself, whose held-out test "
          + "ratings it saw: its settings would let the test part choose them. Evaluate without --params (each training part is searched "
          + "on validation data carved from it), or with settings tuned on other data");
    }
  }

  RatingPipeline.Config ratingConfig() {
    int k;
    if (clusters.equalsIgnoreCase("auto")) {
      k = 0;
    } else {
      try {
        k = Integer.parseInt(clusters);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--clusters takes a number or 'auto', got '" + clusters + "'");
      }
      if (k < 2 || k > 100) {
        throw new IllegalArgumentException("--clusters must be in [2, 100] or 'auto', got " + k);
      }
    }
    if (movieClusters < 2 || trees < 0 || mfEpochs < 1 || forestRows < 100) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "--movie-clusters must be >= 2, --trees >= 0 (0: automatic), --mf-epochs >= 1, --forest-rows >= 100; got %d, %d, %d, %d",
          movieClusters, trees, mfEpochs, forestRows));
    }
    MfConfig d = MfConfig.defaults(seed);
    MfConfig.Solver solver = switch (mfSolver.toLowerCase(java.util.Locale.ROOT)) {
      case "adam" -> MfConfig.Solver.ADAM;
      case "als" -> MfConfig.Solver.ALS;
      case "gibbs" -> MfConfig.Solver.GIBBS;
      case "auto" -> MfConfig.Solver.AUTO;
      default -> throw new IllegalArgumentException("--mf-solver must be adam, als, gibbs or auto, got '" + mfSolver + "'");
    };
    MfConfig mf = new MfConfig(mfDim, d.learningRate(), d.l2(), d.biasL2(), d.batchSize(), mfEpochs, d.patience(), d.initStd(), seed, solver);
    ForestFitter.Config f = ForestFitter.Config.defaults(seed);
    return RatingPipeline.Config.defaults(seed)
        .withMf(mf)
        .withSegments(new SegmentFitter.Config(k, movieClusters, 5, seed))
        .withForest(f.withTrees(trees).withMaxRows(forestRows));
  }
}
