package dev.recsys.server;

import dev.recsys.server.config.ServerConfig;
import picocli.CommandLine;

/** Test access to the command-line parsing of {@link ServerMain}. */
public final class ServerMainAccess {

  private ServerMainAccess() {}

  public static ServerConfig parse(String... args) {
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }
}
