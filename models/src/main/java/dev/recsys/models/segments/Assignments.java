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
    float[] userSpace = switch (segmentation.representation()) {
      case Segmentation.EMBEDDING -> mf.userEmbeddings();
      case Segmentation.IMPLICIT -> segmentation.implicit().userFactors();
      default -> profiles.userAffinities();
    };
    return new Assignments(
        segmentation.users().assignAll(userSpace, mf.users()),
        segmentation.movies().assignAll(mf.itemEmbeddings(), mf.items()));
  }
}
