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
    // A publisher outlives a test JVM that was killed (it is a separate process): stop with the
    // parent, or a killed test run leaves it filling the disk with versions.
    java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    for (int i = 0; i < count && parent.map(ProcessHandle::isAlive).orElse(false); i++) {
      TestVersions.publish(registry, args[1], ProcessHandle.current().pid() + "-" + i, bytes);
    }
  }
}
