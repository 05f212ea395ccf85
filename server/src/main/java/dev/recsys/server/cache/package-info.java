/**
 * Caffeine caches of the server: vectors folded in from rating profiles (bounded, keyed by model
 * version so a swap never serves a stale vector) and recent recommendation results of hot users
 * (bounded, short time to live). Both record statistics, exported to Prometheus. Every cache of
 * the server is built by {@link dev.recsys.server.cache.Caches}, which keeps Caffeine's
 * maintenance on the calling thread.
 */
package dev.recsys.server.cache;
