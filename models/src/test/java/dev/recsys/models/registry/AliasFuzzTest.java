package dev.recsys.models.registry;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Jazzer fuzzing of the alias and alias-history readers: files any registry writer can change and
 * every server reads on each poll. Whatever the bytes, a reader returns values that pass its checks
 * or throws {@link RegistryException}; anything else is a finding. An accepted history must be
 * replayable into a rollback stack.
 *
 * <p>The normal test run replays the seeds under {@code AliasFuzzTestInputs/}. Longer:
 * {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -pl models test -Dtest='AliasFuzzTest#history_*'}.
 */
class AliasFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void alias_acceptsOrRefusesCleanly(byte[] bytes) {
    Alias a;
    try {
      a = AliasStore.parseAlias(bytes, Alias.PRODUCTION, "fuzzed.json");
    } catch (RegistryException expected) {
      return;
    }
    if (a.version() < 1 || !(a.weight() > 0 && a.weight() <= 1) || !Alias.PRODUCTION.equals(a.name())) {
      throw new AssertionError("accepted an alias that breaks its checks: " + a);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void history_acceptsOrRefusesCleanly(byte[] bytes) {
    List<AliasEvent> history;
    try {
      history = AliasStore.parseHistory(bytes, "fuzzed-history.json");
    } catch (RegistryException expected) {
      return;
    }
    for (long v : AliasStore.rollbackStack(Alias.PRODUCTION, history)) {
      if (v < 0) {
        throw new AssertionError("a rollback target below zero from an accepted history");
      }
    }
  }
}
