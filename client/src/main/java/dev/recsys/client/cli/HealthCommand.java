package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code health}: the standard gRPC health check; exits 0 only when SERVING. */
@Command(name = "health", mixinStandardHelpOptions = true, description = "gRPC health check (exit code 0 only when SERVING).")
final class HealthCommand extends ApiCommand {

  @Option(names = "--service", defaultValue = "", description = "Service name (default: the whole server).")
  String service;

  boolean serving;

  @Override
  void run(Connection c) throws Exception {
    HealthCheckResponse r = c.health().check(HealthCheckRequest.newBuilder().setService(service).build());
    serving = r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    if (!printedJson(r)) {
      System.out.println(r.getStatus());
    }
  }

  @Override
  public Integer call() throws Exception {
    int code = super.call();
    return code == 0 && !serving ? 1 : code;
  }
}
