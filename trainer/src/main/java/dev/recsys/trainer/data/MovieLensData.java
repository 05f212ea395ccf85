package dev.recsys.trainer.data;

import dev.recsys.models.catalog.Catalog;
import java.util.Arrays;
import java.util.Optional;

/**
 * A cleaned MovieLens data set.
 *
 * @param name data set name (e.g. {@code ml-100k})
 * @param sha256 SHA-256 of the archive (or of the ratings file of a folder)
 * @param layout the file layout it was read from
 * @param catalog the movies; the dense movie index of {@link #ratings} is the catalogue's index
 * @param ratings the kept ratings
 * @param userIds raw user id of each dense user index, ascending
 * @param quality what cleaning dropped or fixed
 * @param demographics user demographics when the layout has them
 */
public record MovieLensData(
    String name,
    String sha256,
    Layout layout,
    Catalog catalog,
    RatingsTable ratings,
    long[] userIds,
    DataQuality quality,
    Optional<Demographics> demographics) {

  /** Dense index of a raw user id, or -1. */
  public int userIndex(long userId) {
    int i = Arrays.binarySearch(userIds, userId);
    return i >= 0 ? i : -1;
  }

  /** The range of the ratings (e.g. 0.5 to 5, or 1 to 5 for ml-100k). */
  public dev.recsys.models.rating.RatingScale scale() {
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (int i = 0; i < ratings.size(); i++) {
      min = Math.min(min, ratings.rating(i));
      max = Math.max(max, ratings.rating(i));
    }
    return ratings.size() == 0 || min == max ? new dev.recsys.models.rating.RatingScale(0.5f, 5f) : new dev.recsys.models.rating.RatingScale(min, max);
  }

  /** The same data with other ratings (a split), sharing catalogue, users and quality report. */
  public MovieLensData withRatings(RatingsTable subset) {
    return new MovieLensData(name, sha256, layout, catalog, subset, userIds, quality, demographics);
  }
}
