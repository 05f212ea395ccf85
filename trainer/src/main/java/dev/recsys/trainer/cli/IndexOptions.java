package dev.recsys.trainer.cli;

import dev.recsys.models.ann.MovieIndex;
import picocli.CommandLine.Option;

/**
 * {@code --ann-min-movies}, shared by the commands that publish versions (here and in the Spark
 * trainer): from which catalogue size a version carries a graph index for approximate top-k.
 */
public final class IndexOptions {

  @Option(names = "--ann-min-movies", defaultValue = "${env:RECSYS_ANN_MIN_MOVIES:-" + MovieIndex.DEFAULT_MIN_MOVIES + "}",
      description = "Build a graph index (HNSW) for approximate top-k when the catalogue has at least this many movies; 0 = never "
          + "(RECSYS_ANN_MIN_MOVIES; default: ${DEFAULT-VALUE}).")
  int annMinMovies;

  /** The threshold; a negative value stops the command, naming it. */
  public int annMinMovies() {
    if (annMinMovies < 0) {
      throw new IllegalArgumentException("--ann-min-movies must be >= 0 (0 = never), got " + annMinMovies);
    }
    return annMinMovies;
  }
}
