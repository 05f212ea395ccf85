package dev.recsys.models.rating;

import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The baseline rating model: {@code mean + userBias[u] + movieBias[m]}. Also the source of the
 * fallbacks for users or movies a model has not seen. Immutable.
 */
public record BiasModel(float mean, float[] userBiases, float[] movieBiases) implements RatingPredictor {

  /** File name inside a model version. */
  public static final String FILE = "baseline.safetensors";

  /** Manifest role. */
  public static final String ROLE = "rating_baseline";

  @Override
  public float predict(int user, int movie) {
    return mean + userBiases[user] + movieBiases[movie];
  }

  /** Prediction for a user the model does not know. */
  public float predictUnknownUser(int movie) {
    return mean + movieBiases[movie];
  }

  /** Prediction for a movie the model does not know. */
  public float predictUnknownMovie(int user) {
    return mean + userBiases[user];
  }

  public void write(Path file) throws IOException {
    new TensorFile.Writer()
        .floats("mean", new float[] {mean})
        .floats("user_bias", userBiases)
        .floats("movie_bias", movieBiases)
        .write(file);
  }

  /** Reads and checks the file against the version's user and movie counts. */
  public static BiasModel read(Path file, int users, int movies) throws IOException {
    TensorFile t = TensorFile.read(file);
    try {
      return new BiasModel(
          t.get("mean").scalarFloat(),
          t.get("user_bias").requireShape(users).finiteFloats(),
          t.get("movie_bias").requireShape(movies).finiteFloats());
    } catch (IllegalStateException e) {
      throw new IOException(FILE + ": " + e.getMessage(), e);
    }
  }
}
