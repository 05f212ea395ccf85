package dev.recsys.trainer.cli;

import dev.recsys.models.registry.ModelRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --registry} and {@code --name}, shared by the commands that touch the registry (here and
 * in the Spark trainer): a picocli mixin.
 */
public final class RegistryOptions {

  @Option(names = "--registry", defaultValue = "${env:RECSYS_REGISTRY:-registry}",
      description = "Registry folder (default: $RECSYS_REGISTRY or ./registry).")
  Path registry;

  @Option(names = "--name", defaultValue = "${env:RECSYS_MODEL:-movielens}",
      description = "Model name in the registry (default: $RECSYS_MODEL or movielens).")
  String name;

  /** The model name. */
  public String name() {
    return name;
  }

  /** The registry the options name. */
  public ModelRegistry open() {
    return new ModelRegistry(registry);
  }

  /** {@code user@host}, recorded in the alias history. */
  public static String actor() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    return System.getProperty("user.name", "unknown") + "@" + host;
  }
}
