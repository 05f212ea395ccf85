package dev.recsys.client.cli;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.recsys.client.connect.Connection;
import dev.recsys.client.connect.ConnectionOptions;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command that talks to the server: connects, runs, reports a gRPC failure as one line. */
abstract class ApiCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--json", description = "Print the response as protobuf JSON (for scripts).")
  boolean json;

  /** Runs the command over an open connection. */
  abstract void run(Connection connection) throws Exception;

  @Override
  public Integer call() throws Exception {
    try (Connection c = Connection.open(connection)) {
      run(c);
      return 0;
    } catch (StatusRuntimeException e) {
      String description = e.getStatus().getDescription();
      System.err.println("error: " + e.getStatus().getCode() + (description == null ? "" : ": " + description));
      return 1;
    }
  }

  /** Prints a message as JSON when {@code --json} was given; returns whether it did. */
  boolean printedJson(MessageOrBuilder message) throws Exception {
    if (json) {
      System.out.println(JsonFormat.printer().print(message));
    }
    return json;
  }
}
