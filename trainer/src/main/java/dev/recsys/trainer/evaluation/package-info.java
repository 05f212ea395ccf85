/**
 * Honest evaluation: splitting protocols (k-fold, hold-out, a data set's own split files, per-user
 * and leave-last-out for ranking), metrics computed on held-out data only with training figures
 * beside them, and the JSON and table reports.
 */
package dev.recsys.trainer.evaluation;
