/**
 * The movie catalogue a model version was trained with: ids, titles, release years and genres, in
 * the dense index order that every embedding table and score array of that version uses.
 *
 * <p>Owns the catalogue's in-memory form, its file format and title parsing. Knows nothing of
 * ratings, training or serving.
 */
package dev.recsys.models.catalog;
