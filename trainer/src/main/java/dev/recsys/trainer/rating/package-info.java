/**
 * Fitting the rating models other than the embedding ones: the bias baseline, user and movie
 * profiles, the K-Means segments and the Random Forest hybrid, and the pipeline that fits them all on
 * one training set so every model is evaluated the same way.
 */
package dev.recsys.trainer.rating;
