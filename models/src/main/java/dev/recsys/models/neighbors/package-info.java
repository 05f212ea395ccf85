/**
 * Item-item neighbours: for each movie, its most similar movies with similarities, precomputed by the
 * trainer, and the neighbour-based rating prediction (kNN with baseline) that uses them.
 */
package dev.recsys.models.neighbors;
