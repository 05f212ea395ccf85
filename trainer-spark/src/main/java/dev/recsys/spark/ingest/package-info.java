/**
 * Reading ratings on the cluster: MovieLens rating files or a Parquet table from any
 * Hadoop-compatible path, cleaned by the one-machine trainer's rules ({@link
 * dev.recsys.trainer.data.RatingLines}) with every dropped row counted in the same report, and
 * the cleaned ratings brought to the driver in the dense form the published version stores.
 */
package dev.recsys.spark.ingest;
