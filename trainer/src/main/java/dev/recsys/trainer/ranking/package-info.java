/**
 * Top-N recommendation: the ranking model (BPR), the similar-movies table and the choice of its
 * similarity, popularity for cold start, genre profiles for movies without ratings, the calibration
 * of fold-in, and the pipeline that fits them all and hands every candidate ranker to evaluation.
 */
package dev.recsys.trainer.ranking;
