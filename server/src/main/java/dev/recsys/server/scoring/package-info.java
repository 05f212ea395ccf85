/**
 * Where embedding scores are computed: plain Java on the CPU (the blocked dimension-major kernel of
 * {@link dev.recsys.models.scoring.DotScorer}), or DJL on a device (the GPU, or the CPU for testing)
 * fed by a micro-batcher that gathers concurrent requests into one matrix product. Owns device
 * memory and its release; knows nothing of requests or gRPC.
 */
package dev.recsys.server.scoring;
