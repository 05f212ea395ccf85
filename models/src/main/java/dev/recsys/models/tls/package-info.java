/**
 * TLS key material as operators hand it over: PEM private keys in the encodings that tools write
 * (PKCS#8, and the PKCS#1 and SEC1 forms that OpenSSL and cert-manager write by default), and the
 * check that a certificate and a private key belong together. Shared by the server and the client.
 */
package dev.recsys.models.tls;
