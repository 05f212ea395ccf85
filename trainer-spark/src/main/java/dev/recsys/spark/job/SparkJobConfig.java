package dev.recsys.spark.job;

import dev.recsys.spark.fit.SparkAls;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a Spark training run reads and how it fits.
 *
 * @param catalog local folder or zip holding the MovieLens movie file (the catalogue is read on the
 *     driver: tens of thousands of lines at most)
 * @param ratings Hadoop path of a MovieLens rating file; empty: the catalogue folder's own rating file
 * @param parquet Hadoop path of a Parquet rating table (columns user, movie, rating, timestamp),
 *     instead of a rating file
 * @param validationShare share of ratings held out for every choice (hyperparameters, the rating
 *     model), by a hash of the (user, movie) pair
 * @param als rank, iterations, blocks and seed of every ALS fit
 * @param explicitRegs regParam values tried for explicit ALS
 * @param implicitAlphas confidence weights tried for implicit ALS
 * @param implicitReg regParam of implicit ALS
 * @param neighbors neighbours per movie in the neighbour tables
 * @param knnNeighbors neighbours per kNN prediction
 * @param userSegments K-Means clusters of users
 * @param movieClusters K-Means clusters of movies
 * @param partitions partitions of the cleaned ratings and tasks of the neighbour pass
 */
public record SparkJobConfig(
    Path catalog,
    Optional<String> ratings,
    Optional<String> parquet,
    double validationShare,
    SparkAls.Settings als,
    List<Double> explicitRegs,
    List<Double> implicitAlphas,
    double implicitReg,
    int neighbors,
    int knnNeighbors,
    int userSegments,
    int movieClusters,
    int partitions) {

  public SparkJobConfig {
    if (ratings.isPresent() && parquet.isPresent()) {
      throw new IllegalArgumentException("give a rating file or a Parquet table, not both");
    }
    if (!(validationShare > 0 && validationShare < 0.5)) {
      throw new IllegalArgumentException("validation share must be in (0, 0.5), got " + validationShare);
    }
    if (explicitRegs.isEmpty() || implicitAlphas.isEmpty() || explicitRegs.stream().anyMatch(r -> !(r > 0))
        || implicitAlphas.stream().anyMatch(a -> !(a > 0)) || !(implicitReg > 0)) {
      throw new IllegalArgumentException("regularisation and alpha values must be positive and at least one of each given; got regs "
          + explicitRegs + ", alphas " + implicitAlphas + ", implicit reg " + implicitReg);
    }
    if (neighbors < 1 || knnNeighbors < 1 || userSegments < 2 || movieClusters < 2 || partitions < 1) {
      throw new IllegalArgumentException("neighbours and kNN neighbours >= 1, segments and clusters >= 2, partitions >= 1; got neighbours "
          + neighbors + ", kNN neighbours " + knnNeighbors + ", segments " + userSegments + ", clusters " + movieClusters + ", partitions "
          + partitions);
    }
    explicitRegs = List.copyOf(explicitRegs);
    implicitAlphas = List.copyOf(implicitAlphas);
  }

  /**
   * Defaults: rank 32, 10 iterations, three values of each grid; the validation share, kNN size,
   * segments and clusters of the one-machine trainer.
   */
  public static SparkJobConfig defaults(Path catalog, long seed) {
    RatingPipeline.Config rating = RatingPipeline.Config.defaults(seed);
    return new SparkJobConfig(catalog, Optional.empty(), Optional.empty(), rating.blendShare(), new SparkAls.Settings(32, 10, 4, seed),
        List.of(0.05, 0.1, 0.2), List.of(1.0, 5.0, 20.0), 0.1, RankingPipeline.Config.defaults(seed).similarNeighbors(), rating.knnNeighbors(),
        rating.segments().userSegments(), rating.segments().movieClusters(), 8);
  }
}
