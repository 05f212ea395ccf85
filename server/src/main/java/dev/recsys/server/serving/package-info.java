/**
 * The live model: which versions are loaded and which serves whom. An immutable {@link
 * dev.recsys.server.serving.Snapshot} behind one atomic reference is read once per request; a
 * background {@link dev.recsys.server.serving.RegistryWatcher} follows the registry's aliases,
 * loads and validates new versions off the request path and swaps the snapshot. Requests hold a
 * {@link dev.recsys.server.serving.Lease} on the version they started with, and a retired version
 * is closed (its device memory freed) only when its last lease is returned.
 */
package dev.recsys.server.serving;
