package dev.recsys.models.demographics;

import dev.recsys.models.scoring.Ranker;
import dev.recsys.models.tensors.Tensor;
import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.util.Optional;

/**
 * Popularity within each {@link DemographicGroups demographic group}, shrunk towards popularity
 * over everyone: movie {@code i}'s score in group {@code g} is {@code (raters of i in g + prior x
 * share of all users who rated i) / (users in g + prior)}, so a small group leans on the whole
 * population. A new user's scores mix the groups by {@link DemographicGroups#membership}: as a
 * {@link Ranker}, the user's vector is that membership.
 *
 * @param scores group-major: {@code scores[g * movies + i]}
 * @param groupSizes users counted in each group
 * @param prior pseudo-users of overall popularity added to every group (chosen on validation users)
 */
public record DemographicPopularity(int movies, float[] scores, float[] groupSizes, float prior) implements Ranker {

  /** Tensor names inside the popularity artifact. */
  public static final String SCORES = "demographic_scores";
  public static final String GROUP_SIZES = "demographic_group_sizes";
  public static final String PRIOR = "demographic_prior";

  public DemographicPopularity {
    if (movies < 0 || scores.length != (long) DemographicGroups.COUNT * movies || groupSizes.length != DemographicGroups.COUNT) {
      throw new IllegalArgumentException("demographic popularity needs " + DemographicGroups.COUNT + " groups x " + movies
          + " movies and " + DemographicGroups.COUNT + " group sizes, got " + scores.length + " scores and " + groupSizes.length + " sizes");
    }
    for (float s : scores) {
      if (!Float.isFinite(s)) {
        throw new IllegalArgumentException("demographic popularity holds a non-finite score");
      }
    }
    for (float s : groupSizes) {
      if (!(s >= 0) || !Float.isFinite(s)) {
        throw new IllegalArgumentException("demographic group sizes must be finite and >= 0");
      }
    }
    if (!(prior >= 0) || !Float.isFinite(prior)) {
      throw new IllegalArgumentException("demographic prior must be finite and >= 0, got " + prior);
    }
  }

  /**
   * Counts each group's raters of every movie.
   *
   * @param userGroups group of every user ({@link DemographicGroups#of}), -1 when unknown
   * @param userStart first rating row of each user (length users + 1), rows listing movie indexes
   * @param movieOfRow movie index of each rating row
   */
  public static DemographicPopularity count(int movies, int[] userGroups, int[] userStart, int[] movieOfRow, float prior) {
    double[] groupCounts = new double[DemographicGroups.COUNT * movies];
    double[] allCounts = new double[movies];
    float[] sizes = new float[DemographicGroups.COUNT];
    int users = 0;
    for (int u = 0; u < userGroups.length; u++) {
      if (userStart[u + 1] == userStart[u]) {
        continue;
      }
      users++;
      int g = userGroups[u];
      if (g >= 0) {
        sizes[g]++;
      }
      for (int r = userStart[u]; r < userStart[u + 1]; r++) {
        allCounts[movieOfRow[r]]++;
        if (g >= 0) {
          groupCounts[g * movies + movieOfRow[r]]++;
        }
      }
    }
    float[] scores = new float[groupCounts.length];
    for (int g = 0; g < DemographicGroups.COUNT; g++) {
      for (int i = 0; i < movies; i++) {
        double share = users == 0 ? 0 : allCounts[i] / users;
        double denominator = sizes[g] + prior;
        scores[g * movies + i] = (float) (denominator > 0 ? (groupCounts[g * movies + i] + prior * share) / denominator : share);
      }
    }
    return new DemographicPopularity(movies, scores, sizes, prior);
  }

  /** Scores for a person of this membership ({@link DemographicGroups#membership}). */
  public void score(float[] membership, float[] out) {
    java.util.Arrays.fill(out, 0, movies, 0f);
    for (int g = 0; g < DemographicGroups.COUNT; g++) {
      float w = membership[g];
      if (w != 0) {
        int base = g * movies;
        for (int i = 0; i < movies; i++) {
          out[i] += w * scores[base + i];
        }
      }
    }
  }

  /** Scores for {@code user}, whose vector is their group membership. */
  @Override
  public void score(User user, float[] out) {
    score(user.vector(), out);
  }

  @Override
  public int items() {
    return movies;
  }

  /** Adds the tensors to a file being written. */
  public void writeTo(TensorFile.Writer writer) {
    writer.floats(SCORES, scores, DemographicGroups.COUNT, movies)
        .floats(GROUP_SIZES, groupSizes)
        .floats(PRIOR, new float[] {prior});
  }

  /** Reads the tensors of {@link #writeTo} from {@code file}, or empty when it has none. */
  public static Optional<DemographicPopularity> readFrom(TensorFile file, int movies) throws IOException {
    Optional<Tensor> scores = file.find(SCORES);
    if (scores.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DemographicPopularity(movies, scores.get().requireShape(DemographicGroups.COUNT, movies).finiteFloats(),
          file.get(GROUP_SIZES).requireShape(DemographicGroups.COUNT).finiteFloats(), file.get(PRIOR).requireShape(1).finiteFloats()[0]));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException("demographic popularity: " + e.getMessage(), e);
    }
  }
}
