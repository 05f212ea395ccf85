package dev.recsys.models.segments;

import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.profiles.Profiles;

/**
 * The segment of every known user and the cluster of every movie, derived from a
 * {@link Segmentation} and the model version's embeddings and profiles by nearest centroid: the
 * same rule the trainer's evaluation and the server apply, so both see the same labels.
 *
 * @param userSegments segment per user
 * @param movieClusters cluster per movie
 */
public record Assignments(int[] userSegments, int[] movieClusters) {

  public static Assignments of(Segmentation segmentation, EmbeddingTables mf, Profiles profiles) {
    return new Assignments(
        segmentation.users().assignAll(userSpace(segmentation, mf, profiles), mf.users()),
        segmentation.movies().assignAll(mf.itemEmbeddings(), mf.items()));
  }

  /**
   * Why these labels cannot be {@link #of}'s for these inputs, or null when they can: one label per
   * user and per movie, each naming a centroid, and the sampled users' and movies' labels exactly
   * those of the nearest-centroid rule (published labels are checked this way instead of recomputed).
   */
  public String mismatch(Segmentation segmentation, EmbeddingTables mf, Profiles profiles, int[] userSample, int[] movieSample) {
    if (userSegments.length != mf.users() || movieClusters.length != mf.items()) {
      return userSegments.length + " user and " + movieClusters.length + " movie labels for " + mf.users() + " users and "
          + mf.items() + " movies";
    }
    String range = firstOutside(userSegments, segmentation.users().k(), "user");
    if (range == null) {
      range = firstOutside(movieClusters, segmentation.movies().k(), "movie");
    }
    if (range != null) {
      return range;
    }
    float[] users = userSpace(segmentation, mf, profiles);
    for (int u : userSample) {
      int expected = segmentation.users().nearest(users, u * segmentation.users().dim());
      if (userSegments[u] != expected) {
        return "user " + u + " is labelled segment " + userSegments[u] + ", its nearest centroid is " + expected;
      }
    }
    for (int m : movieSample) {
      int expected = segmentation.movies().nearest(mf.itemEmbeddings(), m * segmentation.movies().dim());
      if (movieClusters[m] != expected) {
        return "movie " + m + " is labelled cluster " + movieClusters[m] + ", its nearest centroid is " + expected;
      }
    }
    return null;
  }

  private static String firstOutside(int[] labels, int k, String what) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= k) {
        return what + " " + i + " is labelled " + labels[i] + ", outside the " + k + " centroids";
      }
    }
    return null;
  }

  private static float[] userSpace(Segmentation segmentation, EmbeddingTables mf, Profiles profiles) {
    return switch (segmentation.representation()) {
      case Segmentation.EMBEDDING -> mf.userEmbeddings();
      case Segmentation.IMPLICIT -> segmentation.implicit().userFactors();
      default -> profiles.userAffinities();
    };
  }
}
