/**
 * The {@code recsys-client}: a command-line client of the recsys gRPC API, an interactive shell, and
 * a load generator. {@link dev.recsys.client.ClientMain} only runs the root command.
 */
package dev.recsys.client;
