package dev.recsys.trainer.evaluation;

import dev.recsys.trainer.data.RatingsTable;

/**
 * One train/test partition of a ratings table, as two tables over the same index spaces.
 *
 * @param index 0-based fold number
 * @param train ratings to fit on
 * @param test held-out ratings
 */
public record Fold(int index, RatingsTable train, RatingsTable test) {}
