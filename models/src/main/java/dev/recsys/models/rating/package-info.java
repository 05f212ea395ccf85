/**
 * Rating prediction as trainer and server share it: the predictor contract over dense indexes, the
 * rating scale predictions are clamped to, the bias baseline, and the Random Forest hybrid with the
 * one feature builder that both training and serving use (so a feature can never mean one thing
 * offline and another online).
 */
package dev.recsys.models.rating;
