/**
 * Authenticity of model versions: the trainer signs each manifest with an Ed25519 key (the JDK's
 * own implementation), and a server configured with trusted public keys refuses any version whose
 * manifest is unsigned or signed by another key. The manifest lists every artifact's SHA-256, so
 * its signature covers every byte the server loads. Keys are the standard PEM files
 * ({@code openssl genpkey -algorithm ed25519} writes the same format).
 */
package dev.recsys.models.signing;
