/**
 * Approximate top-k over big catalogues: a graph index (Lucene's HNSW, maximum inner product) over
 * a version's movie embeddings, built by the trainer as artifacts of the version, opened read-only by
 * the server, and searched with the request's filters applied exactly. Candidates are rescored with
 * the version's own embeddings, so returned scores are exact and only recall is approximate.
 */
package dev.recsys.models.ann;
