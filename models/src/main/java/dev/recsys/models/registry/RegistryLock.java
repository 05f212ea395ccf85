package dev.recsys.models.registry;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cross-process, cross-machine mutual exclusion made of one file created with exclusive create
 * ({@code O_CREAT|O_EXCL}, atomic on local filesystems and on NFSv3+). The file records its owner
 * and the time it was taken; a lock older than {@code staleAfter} is considered abandoned (its owner
 * crashed) and is broken by renaming it away, which only one breaker can win.
 *
 * <p>Held only for the milliseconds of a read-modify-write of alias files, so the stale limit can be
 * short without risking a live owner's lock. It is a lease, so an owner that stalls past the limit
 * (a long GC pause, a hung NFS server) can find it broken and taken by another process. Writers
 * therefore fence each write with {@link #checkHeld()}: the lock file must still carry this
 * owner's token, or nothing more is written and the change fails with a conflict. What remains is
 * a stall of over the stale limit between that check and the write itself (microseconds of work);
 * slow work (deleting version folders) is done after the lock is released.
 */
final class RegistryLock implements AutoCloseable {

  private final Path file;
  private final String token;
  private final String owner;
  private final Clock clock;

  private RegistryLock(Path file, String token, String owner, Clock clock) {
    this.file = file;
    this.token = token;
    this.owner = owner;
    this.clock = clock;
  }

  static RegistryLock acquire(
      Path file, String owner, Clock clock, Duration staleAfter, Duration timeout)
      throws IOException {
    String token = UUID.randomUUID().toString();
    ObjectNode content = Json.object();
    content.put("token", token);
    content.put("owner", owner);
    content.put("pid", ProcessHandle.current().pid());
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMillis = 2;
    while (true) {
      content.put("acquired_at", clock.instant().toString());
      try {
        Files.write(
            file,
            Json.MAPPER.writeValueAsBytes(content),
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        AtomicFiles.fsyncDirectory(file.getParent());
        return new RegistryLock(file, token, owner, clock);
      } catch (FileAlreadyExistsException held) {
        breakIfStale(file, clock, staleAfter);
      }
      if (System.nanoTime() > deadline) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT,
            "registry lock " + file + " is held by " + describe(file) + "; try again");
      }
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + file, e);
      }
      backoffMillis = Math.min(50, backoffMillis * 2);
    }
  }

  private static void breakIfStale(Path file, Clock clock, Duration staleAfter) throws IOException {
    Instant acquiredAt = acquiredAt(file);
    if (acquiredAt == null || acquiredAt.plus(staleAfter).isAfter(clock.instant())) {
      return;
    }
    Path broken = file.resolveSibling(file.getFileName() + ".stale-" + UUID.randomUUID());
    try {
      Files.move(file, broken, StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(broken);
    } catch (NoSuchFileException alreadyBroken) {
      // Another process broke it (or its owner released it) first.
    }
  }

  private static Instant acquiredAt(Path file) {
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
      return Instant.parse(node.get("acquired_at").asString());
    } catch (IOException | RuntimeException e) {
      // Unreadable or half-written (its owner died between create and write): judge by file time.
      try {
        return Files.getLastModifiedTime(file).toInstant();
      } catch (IOException gone) {
        return null;
      }
    }
  }

  private static String describe(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "another process";
    }
  }

  /**
   * Fails with a conflict unless the lock file still carries this owner's token: called before each
   * write made under the lock, so an owner whose lease was broken while it stalled writes nothing
   * more over the new owner's changes.
   */
  void checkHeld() throws IOException {
    String holder;
    try {
      holder = Json.MAPPER.readTree(Files.readAllBytes(file)).path("token").asString("");
    } catch (NoSuchFileException gone) {
      holder = "";
    } catch (RuntimeException unreadable) {
      // Half-written by a new owner that is creating it right now: not ours either way.
      holder = "";
    }
    if (!token.equals(holder)) {
      throw new RegistryException(RegistryException.Kind.CONFLICT, "registry lock " + file + " taken by '" + owner
          + "' was broken as stale while held (held past its lease) and is now " + (holder.isEmpty() ? "free" : "held by " + describe(file))
          + "; nothing more was written, try again");
    }
  }

  @Override
  public void close() throws IOException {
    // Only delete the lock if it is still ours: if it was broken as stale, another owner holds it.
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
      if (token.equals(node.path("token").asString(""))) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException gone) {
      // Broken by someone else: nothing to release.
    }
  }
}
