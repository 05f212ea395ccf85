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
 * profiles in {@code segments.json}. Users are represented by their rating-model embedding, their
 * genre-affinity profile, or their implicit-ALS factors ({@link #representation()}); unseen users are
 * mapped into the same space (fold-in, profile or projection from their ratings) before the nearest
 * centroid is taken.
 *
 * @param representation {@link #EMBEDDING}, {@link #GENRE_AFFINITY} or {@link #IMPLICIT}
 * @param users user segment centroids
 * @param profiles one profile per user segment
 * @param movies movie cluster centroids (over rating-model movie embeddings)
 * @param movieClusters one description per movie cluster
 * @param implicit users and movies as implicit-ALS factors (required when the representation is
 *     {@link #IMPLICIT}; also carried otherwise, for the forest's implicit-score feature), or null in
 *     versions without them
 */
public record Segmentation(
    String representation,
    Centroids users,
    List<SegmentProfile> profiles,
    Centroids movies,
    List<MovieCluster> movieClusters,
    ImplicitSpace implicit) {

  public static final String EMBEDDING = "embedding";
  public static final String GENRE_AFFINITY = "genre_affinity";
  public static final String IMPLICIT = "implicit_factors";

  /** Largest segments.json read (profiles of at most a few hundred segments and clusters). */
  static final long MAX_PROFILES_BYTES = 64L << 20;

  public static final String TENSORS_FILE = "segments.safetensors";
  public static final String PROFILES_FILE = "segments.json";
  public static final String TENSORS_ROLE = "segments_centroids";
  public static final String PROFILES_ROLE = "segments_profiles";

  public Segmentation {
    if (!representation.equals(EMBEDDING) && !representation.equals(GENRE_AFFINITY) && !representation.equals(IMPLICIT)) {
      throw new IllegalArgumentException("unknown user representation " + representation);
    }
    if (representation.equals(IMPLICIT) && implicit == null) {
      throw new IllegalArgumentException("users are represented by implicit-ALS factors, but the factors are missing");
    }
    if (representation.equals(IMPLICIT) && implicit.dim() != users.dim()) {
      throw new IllegalArgumentException("implicit factors have " + implicit.dim() + " dimensions, the centroids " + users.dim());
    }
    if (profiles.size() != users.k() || movieClusters.size() != movies.k()) {
      throw new IllegalArgumentException("one profile per centroid is required");
    }
  }

  /** The implicit space's settings, as segments.json records them. */
  record ImplicitSettings(double unobservedWeight, double l2, double frequencyScaling) {}

  record Descriptions(String representation, List<SegmentProfile> profiles, List<MovieCluster> movieClusters, ImplicitSettings implicit) {}

  public void write(Path tensors, Path profilesFile) throws IOException {
    TensorFile.Writer w = new TensorFile.Writer()
        .floats("user_centroids", users.values(), users.k(), users.dim())
        .floats("movie_centroids", movies.values(), movies.k(), movies.dim());
    ImplicitSettings settings = null;
    if (implicit != null) {
      w.floats("implicit_item_factors", implicit.itemFactors(), implicit.items(), implicit.dim())
          .floats("implicit_user_factors", implicit.userFactors(), implicit.users(), implicit.dim());
      settings = new ImplicitSettings(implicit.unobservedWeight(), implicit.l2(), implicit.frequencyScaling());
    }
    w.write(tensors);
    Descriptions d = new Descriptions(representation, profiles, movieClusters, settings);
    AtomicFiles.writeDurably(profilesFile, out -> Json.MAPPER.writeValue(out, d));
  }

  public static Segmentation read(Path tensors, Path profilesFile) throws IOException {
    TensorFile t = TensorFile.read(tensors);
    Descriptions d;
    try {
      d = Json.MAPPER.readValue(dev.recsys.models.io.BoundedFiles.read(profilesFile, MAX_PROFILES_BYTES, PROFILES_FILE), Descriptions.class);
    } catch (JacksonException e) {
      throw new IOException(PROFILES_FILE + " is malformed: " + e.getOriginalMessage(), e);
    }
    try {
      var u = t.get("user_centroids");
      var m = t.get("movie_centroids");
      if (u.shape().length != 2 || m.shape().length != 2) {
        throw new IOException(TENSORS_FILE + ": centroids must be matrices");
      }
      ImplicitSpace implicit = null;
      if (IMPLICIT.equals(d.representation()) && d.implicit() == null) {
        throw new IOException(PROFILES_FILE + ": users are represented by implicit factors but their settings are missing");
      }
      if (d.implicit() != null) {
        var items = t.get("implicit_item_factors");
        var users = t.get("implicit_user_factors");
        if (items.shape().length != 2 || users.shape().length != 2 || items.shape()[1] != users.shape()[1]) {
          throw new IOException(TENSORS_FILE + ": implicit factors must be matrices of one dimension");
        }
        implicit = new ImplicitSpace((int) items.shape()[1], (int) items.shape()[0], items.finiteFloats(), users.finiteFloats(),
            d.implicit().unobservedWeight(), d.implicit().l2(), d.implicit().frequencyScaling());
      }
      return new Segmentation(
          d.representation(),
          new Centroids((int) u.shape()[0], (int) u.shape()[1], u.finiteFloats()),
          d.profiles(),
          new Centroids((int) m.shape()[0], (int) m.shape()[1], m.finiteFloats()),
          d.movieClusters(),
          implicit);
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new IOException("segments are inconsistent: " + e.getMessage(), e);
    }
  }
}
