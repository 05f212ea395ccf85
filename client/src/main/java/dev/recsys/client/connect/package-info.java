/**
 * Connecting to a recsys server: target, TLS and mutual TLS, bearer tokens, deadlines. Shared by
 * the CLI commands, the shell and the load generator.
 */
package dev.recsys.client.connect;
