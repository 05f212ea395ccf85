package dev.recsys.models.segments;

import java.util.List;

/**
 * A cluster of movies in embedding space ("genre group"), described by its dominant genres.
 *
 * @param id cluster index
 * @param size movies assigned to it when trained
 * @param dominantGenres genres by share of its movies, best first
 * @param examples a few of its most rated movie indexes
 */
public record MovieCluster(int id, long size, List<SegmentProfile.GenreShare> dominantGenres, List<Integer> examples) {}
