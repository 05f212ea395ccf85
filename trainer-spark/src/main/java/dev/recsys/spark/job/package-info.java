/**
 * The Spark training job end to end (read, clean, fit on the cluster, assemble on the driver,
 * self-check and publish into the registry) and its evaluation with the one-machine trainer's
 * protocols and metrics.
 */
package dev.recsys.spark.job;
