package dev.recsys.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recsys.models.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLockTest {

  @TempDir Path dir;
  MutableClock clock = MutableClock.atEpochDay();

  @Test
  void acquire_heldByLiveOwner_timesOutWithConflict() throws Exception {
    Path file = dir.resolve(".lock");
    try (RegistryLock held =
        RegistryLock.acquire(file, "first", clock, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> RegistryLock.acquire(file, "second", clock, Duration.ofSeconds(30), Duration.ofMillis(100)));
      assertEquals(RegistryException.Kind.CONFLICT, e.kind());
    }
    assertFalse(Files.exists(file));
  }

  @Test
  void acquire_abandonedLock_isBroken() throws Exception {
    Path file = dir.resolve(".lock");
    // An owner that crashed never releases.
    RegistryLock.acquire(file, "crashed", clock, Duration.ofSeconds(30), Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(1));
    try (RegistryLock taken =
        RegistryLock.acquire(file, "second", clock, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
      assertEquals(true, Files.readString(file).contains("second"));
    }
  }

  @Test
  void close_afterLockWasBroken_doesNotDeleteTheNewOwnersLock() throws Exception {
    Path file = dir.resolve(".lock");
    RegistryLock slow = RegistryLock.acquire(file, "slow", clock, Duration.ofSeconds(30), Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(1));
    RegistryLock fresh = RegistryLock.acquire(file, "fresh", clock, Duration.ofSeconds(30), Duration.ofSeconds(1));
    slow.close();
    assertEquals(true, Files.readString(file).contains("fresh"));
    fresh.close();
    assertFalse(Files.exists(file));
  }
}
