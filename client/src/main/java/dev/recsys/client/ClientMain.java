package dev.recsys.client;

import dev.recsys.client.cli.ClientCommand;
import dev.recsys.models.console.Cli;

/** Entry point of {@code recsys-client}. */
public final class ClientMain {

  private ClientMain() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.exit(Cli.run(new ClientCommand(), args));
  }
}
