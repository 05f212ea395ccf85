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

  /** The same data with other ratings (a split), sharing catalogue, users and quality report. */
  public MovieLensData withRatings(RatingsTable subset) {
    return new MovieLensData(name, sha256, layout, catalog, subset, userIds, quality, demographics);
  }
}
