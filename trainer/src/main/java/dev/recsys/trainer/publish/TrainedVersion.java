package dev.recsys.trainer.publish;

import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.rating.RatingPipeline;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a training run hands to publishing.
 *
 * @param data the data the final models were fitted on
 * @param rating the final rating models
 * @param selectedRatingModel name of the rating model chosen by validation RMSE
 * @param metrics evaluation figures for the manifest
 * @param hyperParameters settings of every model for the manifest
 * @param seed the run's seed
 * @param trainingSeconds wall time of the run so far
 * @param command the command line, for lineage
 */
public record TrainedVersion(
    MovieLensData data,
    RatingPipeline.Fitted rating,
    String selectedRatingModel,
    ObjectNode metrics,
    ObjectNode hyperParameters,
    long seed,
    double trainingSeconds,
    String command) {}
