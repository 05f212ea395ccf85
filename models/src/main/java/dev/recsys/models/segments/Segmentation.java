package dev.recsys.models.segments;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * User segments and movie clusters of a model version: centroids in {@code segments.safetensors},
 * profiles in {@code segments.json}. Users are represented either by their rating-model embedding or
 * by their genre-affinity profile ({@link #representation()}); unseen users are mapped into the same
 * space (fold-in or profile from their ratings) before the nearest centroid is taken.
 *
 * @param representation {@link #EMBEDDING} or {@link #GENRE_AFFINITY}
 * @param users user segment centroids
 * @param profiles one profile per user segment
 * @param movies movie cluster centroids (over rating-model movie embeddings)
 * @param movieClusters one description per movie cluster
 */
public record Segmentation(
    String representation,
    Centroids users,
    List<SegmentProfile> profiles,
    Centroids movies,
    List<MovieCluster> movieClusters) {

  public static final String EMBEDDING = "embedding";
  public static final String GENRE_AFFINITY = "genre_affinity";

  public static final String TENSORS_FILE = "segments.safetensors";
  public static final String PROFILES_FILE = "segments.json";
  public static final String TENSORS_ROLE = "segments_centroids";
  public static final String PROFILES_ROLE = "segments_profiles";

  public Segmentation {
    if (!representation.equals(EMBEDDING) && !representation.equals(GENRE_AFFINITY)) {
      throw new IllegalArgumentException("unknown user representation " + representation);
    }
    if (profiles.size() != users.k() || movieClusters.size() != movies.k()) {
      throw new IllegalArgumentException("one profile per centroid is required");
    }
  }

  record Descriptions(String representation, List<SegmentProfile> profiles, List<MovieCluster> movieClusters) {}

  public void write(Path tensors, Path profilesFile) throws IOException {
    new TensorFile.Writer()
        .floats("user_centroids", users.values(), users.k(), users.dim())
        .floats("movie_centroids", movies.values(), movies.k(), movies.dim())
        .write(tensors);
    AtomicFiles.writeDurably(profilesFile, out -> Json.MAPPER.writeValue(out, new Descriptions(representation, profiles, movieClusters)));
  }

  public static Segmentation read(Path tensors, Path profilesFile) throws IOException {
    TensorFile t = TensorFile.read(tensors);
    Descriptions d;
    try {
      d = Json.MAPPER.readValue(Files.readAllBytes(profilesFile), Descriptions.class);
    } catch (JacksonException e) {
      throw new IOException(PROFILES_FILE + " is malformed: " + e.getOriginalMessage(), e);
    }
    try {
      var u = t.get("user_centroids");
      var m = t.get("movie_centroids");
      if (u.shape().length != 2 || m.shape().length != 2) {
        throw new IOException(TENSORS_FILE + ": centroids must be matrices");
      }
      return new Segmentation(
          d.representation(),
          new Centroids((int) u.shape()[0], (int) u.shape()[1], u.floats()),
          d.profiles(),
          new Centroids((int) m.shape()[0], (int) m.shape()[1], m.floats()),
          d.movieClusters());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("segments are inconsistent: " + e.getMessage(), e);
    }
  }
}
