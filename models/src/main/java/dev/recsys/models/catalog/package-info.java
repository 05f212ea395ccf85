/**
 * The movie catalogue a model version was trained with: ids, titles, release years and genres, in
 * the dense index order that every embedding table and score array of that version uses.
 *
 * <p>Owns the catalogue's in-memory form (titles packed as UTF-8, so a catalogue of millions of
 * movies is a few arrays, not millions of objects), its file format, title parsing and search.
 * Knows nothing of ratings, training or serving.
 */
package dev.recsys.models.catalog;
