package dev.recsys.trainer.ranking;

/**
 * The settings the validation split chose, in the form a {@code --params} file holds them: fitting
 * with these as a one-point {@link SearchSpace} reproduces the choice without searching again.
 *
 * @param easeLambda EASE's λ, or null when EASE was skipped
 * @param easeNeighbors weights kept per movie in the served EASE table, or null
 * @param ialsDim implicit ALS factors
 * @param ialsUnobserved implicit ALS α₀
 * @param ialsL2 implicit ALS λ
 * @param ialsIterations implicit ALS iterations (the early-stopping point)
 * @param bprEpochs BPR's early-stopping epoch, or null when BPR was not trained (over its size limit)
 */
public record ChosenParams(Double easeLambda, Integer easeNeighbors, int ialsDim, double ialsUnobserved, double ialsL2, int ialsIterations, Integer bprEpochs) {}
