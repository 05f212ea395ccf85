/**
 * Top-N models solved in closed form or by least squares over implicit feedback (who rated what):
 * EASE, an item-item model with one regularisation parameter, and implicit ALS, a factor model
 * whose half-iterations do a bounded amount of work per rating. Each fits on a {@code RatingsTable}
 * and returns an immutable model; choosing their settings and evaluating them is the {@code ranking}
 * and {@code evaluation} packages' job, never theirs.
 */
package dev.recsys.trainer.topn;
