/**
 * The model registry: a folder that a trainer publishes versions into and that servers follow.
 *
 * <pre>
 * &lt;registry&gt;/&lt;model&gt;/&lt;version&gt;/manifest.json + artifact files   (complete versions only)
 * &lt;registry&gt;/&lt;model&gt;/.staging/&lt;uuid&gt;/                           (versions being written; invisible)
 * &lt;registry&gt;/&lt;model&gt;/aliases/&lt;alias&gt;.json                     (production, canary, ...)
 * &lt;registry&gt;/&lt;model&gt;/aliases/history.json                     (every alias change)
 * </pre>
 *
 * <p>Designed for a shared network filesystem with many readers and a few writers in different
 * processes and machines: a version becomes visible by one directory rename (which fails if another
 * publisher took the number first, so two publishers never share a number); alias files are
 * replaced atomically; read-modify-write of aliases and history happens under a lock file created
 * with exclusive create, never under an in-process lock alone.
 *
 * <p>Owns paths, publication, validation, aliases, history and retention. Knows nothing of what the
 * artifacts contain, nor of gRPC or serving.
 */
package dev.recsys.models.registry;
