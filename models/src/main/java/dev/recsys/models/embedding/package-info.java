/**
 * Biased embedding models (matrix factorisation for ratings, the ranking model for top-N) as plain
 * float arrays, and the scoring math every consumer shares: pairwise predictions, one user against
 * the whole catalogue, and fold-in of a new user's ratings.
 *
 * <p>Owns the in-memory form and the arithmetic. Knows nothing of files (see {@code torchscript}),
 * training or serving.
 */
package dev.recsys.models.embedding;
