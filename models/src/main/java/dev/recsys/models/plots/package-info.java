/**
 * Pictures for people: PNG charts (XChart) and small self-contained HTML reports that embed them,
 * used by the exploratory report, training curves, evaluation and load-test reports.
 */
package dev.recsys.models.plots;
