/**
 * {@code recsys-trainer-spark}: training on Apache Spark for data that outgrows one machine. The
 * command line and the Spark session; the work is in {@code ingest} (reading and cleaning),
 * {@code fit} (MLlib fits) and {@code job} (the run and its evaluation).
 */
package dev.recsys.spark;
