/**
 * The {@code recsys-server}: {@link dev.recsys.server.ServerMain} parses the configuration and wires
 * the parts; {@link dev.recsys.server.RecsysServer} owns the gRPC server's lifecycle (start, health,
 * graceful drain). Dependencies point one way: {@code rpc} -> {@code engine}/{@code serving}/
 * {@code scoring}/{@code cache}/{@code metrics} -> {@code dev.recsys.models}.
 */
package dev.recsys.server;
