/**
 * JMH benchmarks. {@link dev.recsys.benchmarks.ScoringBenchmark} measures the scoring kernel (one user
 * against every movie, then top-k) beside a memory-bandwidth baseline that reads the same number of
 * bytes in the same run, so the kernel is reported as a fraction of what the memory system allows.
 */
package dev.recsys.benchmarks;
