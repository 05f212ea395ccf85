/**
 * The load generator: closed loop (a fixed number of requests always outstanding) or open loop (a
 * constant arrival rate, latency measured from each request's intended send time so a stalled
 * server cannot hide behind a slowed-down client), a weighted request mix, uniform or Zipf-skewed
 * user ids with a share of unknown users, HdrHistogram recording, a progress line, and a ghz-style
 * report with JSON and plots.
 */
package dev.recsys.client.load;
