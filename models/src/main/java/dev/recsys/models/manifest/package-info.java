/**
 * The manifest of a model version: what it was trained on, with which settings, how good it is, and
 * every artifact file with its size and SHA-256. Its JSON form ({@code manifest.json}) is the
 * contract between the trainer that writes a version and every server that loads it.
 *
 * <p>Owns the JSON codec and the structural checks of a manifest. It knows nothing of where versions
 * live (that is {@link dev.recsys.models.registry}) nor of what the artifacts contain.
 */
package dev.recsys.models.manifest;
