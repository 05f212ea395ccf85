/**
 * Prometheus metrics of the server (simpleclient): calls by method and status, a latency histogram
 * with sub-millisecond buckets, calls in flight, answers by model version and route, cache
 * statistics, the loaded versions, load outcomes and durations, and the JVM's own metrics; served
 * over HTTP on the metrics port.
 */
package dev.recsys.server.metrics;
