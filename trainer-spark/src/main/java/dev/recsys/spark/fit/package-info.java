/**
 * Model fitting on the cluster with Spark MLlib: explicit ALS on the ratings' residuals from the
 * bias baseline (the rating factorisation), implicit ALS on who rated what (the top-N model),
 * K-Means for user segments and movie clusters, and neighbour tables from the factors. Each hands
 * back the one-machine trainer's model types, so that evaluation and publishing are shared.
 */
package dev.recsys.spark.fit;
