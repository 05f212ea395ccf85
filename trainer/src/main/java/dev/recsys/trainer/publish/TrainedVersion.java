package dev.recsys.trainer.publish;

import dev.recsys.trainer.ranking.DemographicColdStart;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.rating.RatingPipeline;
import dev.recsys.trainer.ranking.RankingPipeline;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a training run hands to publishing.
 *
 * @param data the data the final models were fitted on
 * @param rating the final rating models
 * @param selectedRatingModel name of the rating model chosen by validation RMSE
 * @param ranking the final top-N models
 * @param selectedRankingModel name of the ranker chosen by validation NDCG
 * @param metrics evaluation figures for the manifest
 * @param hyperParameters settings of every model for the manifest
 * @param seed the run's seed
 * @param trainingSeconds wall time of the run so far
 * @param command the command line, for lineage
 * @param mfL2 the rating factorisation's L2 penalty (fold-in reuses it)
 * @param demographic the cold start of new users who state age or gender, or null when the data
 *     has no demographics
 */
public record TrainedVersion(
    MovieLensData data,
    RatingPipeline.Fitted rating,
    String selectedRatingModel,
    RankingPipeline.Fitted ranking,
    String selectedRankingModel,
    ObjectNode metrics,
    ObjectNode hyperParameters,
    long seed,
    double trainingSeconds,
    String command,
    float mfL2,
    DemographicColdStart.Result demographic) {}
