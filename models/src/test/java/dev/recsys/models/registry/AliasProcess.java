package dev.recsys.models.registry;

import java.nio.file.Path;
import java.util.List;

/**
 * Entry point of a separate JVM that moves the production alias back and forth (rollback, then
 * promote the newest version) for multi-process registry tests. Refusals the registry is meant to
 * give under a race (no earlier version left, the version deleted meanwhile, the lock busy) are
 * counted; anything else ends the process with status 1. A moment after each rollback it looks,
 * under the alias lock, whether the version rolled back to still exists: a retention run that read
 * the aliases before the rollback would have deleted it. Prints "rollbacks N refusals M lost L".
 */
public final class AliasProcess {

  private AliasProcess() {}

  public static void main(String[] args) throws Exception {
    ModelRegistry registry = new ModelRegistry(Path.of(args[0]));
    String model = args[1];
    int cycles = Integer.parseInt(args[2]);
    int rollbacks = 0;
    int refusals = 0;
    int lost = 0;
    AliasStore aliases = new AliasStore(Path.of(args[0]).resolve(model), java.time.Clock.systemUTC());
    java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    for (int i = 0; i < cycles && parent.map(ProcessHandle::isAlive).orElse(false); i++) {
      try {
        long target = registry.rollback(model, Alias.PRODUCTION, null, "alias-process", "cycle " + i).toVersion();
        rollbacks++;
        Thread.sleep(5);
        lost += aliases.locked("alias-process check", lease -> registry.verify(model, target).valid() ? 0 : 1);
      } catch (RegistryException e) {
        refusals++;
        if (!List.of(RegistryException.Kind.FAILED_PRECONDITION, RegistryException.Kind.CONFLICT, RegistryException.Kind.NOT_FOUND)
            .contains(e.kind())) {
          throw e;
        }
      }
      try {
        List<Long> versions = registry.versionNumbers(model);
        registry.promote(model, Alias.PRODUCTION, versions.getLast(), 1.0, "alias-process", "cycle " + i);
      } catch (RegistryException e) {
        refusals++;
        if (!List.of(RegistryException.Kind.FAILED_PRECONDITION, RegistryException.Kind.CONFLICT, RegistryException.Kind.NOT_FOUND)
            .contains(e.kind())) {
          throw e;
        }
      }
    }
    System.out.println("rollbacks " + rollbacks + " refusals " + refusals + " lost " + lost);
  }
}
