/**
 * Answers the recommendation questions against one loaded model version: recommend (personalised or
 * cold start), recommend for a list of ratings (fold-in), predict ratings, find a user's segment,
 * find similar movies. Pure domain logic over dense indexes; knows nothing of gRPC, and reports bad
 * requests and missing things with {@link dev.recsys.server.engine.RequestException}.
 */
package dev.recsys.server.engine;
