/**
 * Durable file primitives that the registry and the artifact writers build on: atomic replacement
 * (temporary file, fsync, rename), directory fsync, SHA-256 digests, safe names, and secrets kept in files (re-read on rotation).
 *
 * <p>Owns nothing about models or registries; knows only files. Every write here either becomes
 * visible complete or not at all, including on a shared network filesystem where rename is the only
 * atomic primitive we rely on.
 */
package dev.recsys.models.io;
