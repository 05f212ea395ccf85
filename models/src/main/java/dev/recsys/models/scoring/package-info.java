/**
 * Scoring one user against the whole catalogue and picking the best: the dot-product kernel over
 * the movie embeddings (a served ranking model holds them only in the kernel's layout, {@link
 * dev.recsys.models.scoring.RankingModel}), partial top-k selection with exclusions and filters,
 * fold-in of a new user's ratings, and maximal-marginal-relevance re-ranking for genre diversity.
 * Shared by the trainer's ranking evaluation and the server, so what is evaluated is what is served.
 */
package dev.recsys.models.scoring;
