/**
 * What a model version knows about each user and movie beyond embeddings: rating counts and means,
 * genre affinities, and each user's rated movies. Computed by the trainer from training ratings and
 * by the server from a new user's ratings with the same code, stored in the version's tensor files.
 */
package dev.recsys.models.profiles;
