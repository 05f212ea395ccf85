package dev.recsys.models.registry;

import dev.recsys.models.testing.TestVersions;
import java.nio.file.Path;

/** Entry point of a separate JVM that publishes versions, for multi-process registry tests. */
public final class PublisherProcess {

  private PublisherProcess() {}

  public static void main(String[] args) throws Exception {
    ModelRegistry registry = new ModelRegistry(Path.of(args[0]));
    int count = Integer.parseInt(args[2]);
    // Optional: bytes of weights per version, so a kill is likely to land while files are written.
    int bytes = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    for (int i = 0; i < count; i++) {
      TestVersions.publish(registry, args[1], ProcessHandle.current().pid() + "-" + i, bytes);
    }
  }
}
