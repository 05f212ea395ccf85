package dev.recsys.trainer.evaluation;

/**
 * Top-k figures averaged over the users that have held-out movies.
 *
 * @param precision hits / k
 * @param recall hits / held-out movies
 * @param f1 harmonic mean of precision and recall (of the means)
 * @param ndcg normalised discounted cumulative gain, binary relevance
 * @param map mean average precision at k
 * @param hitRate share of users with at least one hit
 * @param coverage share of the catalogue recommended to at least one user
 * @param diversity mean pairwise genre dissimilarity (1 - Jaccard) within each list
 * @param novelty mean self-information of recommended movies, {@code -log2(share of users who rated it)}
 * @param users users evaluated
 */
public record RankingMetrics(
    double precision, double recall, double f1, double ndcg, double map, double hitRate, double coverage,
    double diversity, double novelty, long users) {}
