/**
 * Who may connect and who may call what: TLS and mutual TLS with certificate files re-read when
 * they change ({@link dev.recsys.server.security.ServerTls}), and the authorisation interceptor
 * ({@link dev.recsys.server.security.Authorization}) that checks bearer tokens in constant time and
 * client-certificate identities against each method's required access.
 *
 * <p>Secrets never leave this package in a message: errors name the credential's kind and the
 * file's path, never its content.
 */
package dev.recsys.server.security;
