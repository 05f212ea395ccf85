/**
 * The gRPC edge: the {@code Recommender} and {@code ModelAdmin} services, request validation against
 * the contract's limits, the mapping between protobuf messages and the engine's types, the one
 * place failures become {@link io.grpc.Status} codes, and the interceptors (admission control by
 * call count and by time waited for a thread, metrics).
 * The only package that imports gRPC service types.
 */
package dev.recsys.server.rpc;
