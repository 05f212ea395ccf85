/**
 * Alternating least squares building blocks shared by the factor models: rows of a factor matrix
 * solved in parallel by a few warm-started conjugate-gradient steps on their regularised normal
 * equations, and the ratings grouped by movie for the movie half of each alternation.
 *
 * <p>Knows nothing of which model it serves: implicit ALS (top-N, segments) and explicit ALS (the
 * rating factorisation) differ only in the Gram term, the targets and the penalties they pass.
 */
package dev.recsys.trainer.als;
