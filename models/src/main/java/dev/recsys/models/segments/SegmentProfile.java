package dev.recsys.models.segments;

import java.util.List;

/**
 * What characterises one user segment, computed from the training users assigned to it.
 *
 * @param id segment index
 * @param size training users in it
 * @param meanRating mean rating given by its users
 * @param topGenres genres by share of the segment's ratings, best first
 * @param mostRated movie indexes the segment rated most often, best first
 */
public record SegmentProfile(int id, long size, double meanRating, List<GenreShare> topGenres, List<Integer> mostRated) {

  /** A genre and its share of a segment's ratings. */
  public record GenreShare(String genre, double share) {}
}
