package dev.recsys.models.rating;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.neighbors.KnnBaseline;
import dev.recsys.models.profiles.Profiles;

/**
 * Everything the hybrid's features are computed from. The trainer builds it from the fit set, the
 * server from the loaded version, and {@link HybridFeatures} turns it into numbers the same way for
 * both.
 *
 * @param mf the rating matrix factorisation
 * @param baseline the bias baseline
 * @param knn neighbour-based predictions
 * @param profiles user and movie statistics
 * @param catalog the movies (genres, years)
 * @param userSegments segment of each user
 * @param movieClusters cluster of each movie
 * @param implicit users and movies as implicit-ALS factors (what was rated, not how), or null when
 *     the version has none (there is then no {@code implicit_score} feature, and only forests trained
 *     without it can use these sources)
 */
public record FeatureSources(
    EmbeddingTables mf,
    BiasModel baseline,
    KnnBaseline knn,
    Profiles profiles,
    Catalog catalog,
    int[] userSegments,
    int[] movieClusters,
    dev.recsys.models.segments.ImplicitSpace implicit) {}
