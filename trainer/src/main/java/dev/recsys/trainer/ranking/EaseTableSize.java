package dev.recsys.trainer.ranking;

import dev.recsys.trainer.evaluation.Bootstrap;

/**
 * The tie rule behind the served EASE table's size: a smaller table is kept when validation cannot
 * tell it from the best one, because each weight kept is work on every call (a rated movie's whole
 * row is added into the scores).
 */
final class EaseTableSize {

  private EaseTableSize() {}

  /**
   * Whether a table with per-user validation NDCG {@code smaller} ties one with {@code best}: the
   * paired bootstrap 95% interval of their difference holds 0 (the project's definition of a tie).
   */
  static boolean tiesWith(double[] smaller, double[] best, long seed) {
    return Bootstrap.paired(smaller, best, seed).verdict().equals("tie");
  }
}
