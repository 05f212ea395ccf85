/**
 * What the trainer shows people: evaluation tables and JSON, training curves, elbow plots, feature
 * importances, and the exploratory data report. Reads results; computes no model.
 */
package dev.recsys.trainer.report;
