/**
 * Where embedding scores are computed: plain Java on the CPU (the blocked dimension-major kernel of
 * {@link dev.recsys.models.scoring.DotScorer}), per call or in micro-batches (one pass over the movie
 * matrix per batch), or DJL on the GPU (tested on DJL's CPU engine) fed by a micro-batcher that
 * gathers concurrent requests into one matrix product. Owns device memory and its release; knows
 * nothing of requests or gRPC.
 */
package dev.recsys.server.scoring;
