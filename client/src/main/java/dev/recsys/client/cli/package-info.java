/**
 * The client's commands: one per RPC family, readable tables by default and protobuf JSON with
 * {@code --json}; failures are printed as the gRPC status code and message, never a stack trace.
 */
package dev.recsys.client.cli;
