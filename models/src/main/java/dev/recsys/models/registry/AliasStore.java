package dev.recsys.models.registry;

import dev.recsys.models.io.BoundedFiles;
import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.io.SafeNames;
import dev.recsys.models.manifest.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * Aliases and their history for one model folder. Reads take no lock (alias files are replaced
 * atomically, so a reader sees the old or the new alias, whole). Every change takes the registry
 * lock file, so that concurrent promoters on different machines never lose each other's history.
 */
final class AliasStore {

  /** History entries kept; older ones are dropped (they remain in backups, not in the registry). */
  static final int MAX_HISTORY = 1000;

  private static final Duration LOCK_STALE_AFTER = Duration.ofSeconds(30);
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(20);
  private static final String HISTORY_FILE = "history.json";
  private static final String LOCK_FILE = ".lock";

  /** Largest alias file read (one alias is a few hundred bytes). */
  static final long MAX_ALIAS_BYTES = 1 << 20;

  /** Largest history file read (hundreds of thousands of alias changes). */
  static final long MAX_HISTORY_BYTES = 64L << 20;

  private final Path dir;
  private final Clock clock;

  AliasStore(Path modelDir, Clock clock) {
    this.dir = modelDir.resolve("aliases");
    this.clock = clock;
  }

  Optional<Alias> read(String name) throws IOException {
    Path file = dir.resolve(SafeNames.requireAliasName(name) + ".json");
    try {
      return Optional.of(parseAlias(BoundedFiles.read(file, MAX_ALIAS_BYTES, "alias file"), name, file.toString()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * An alias file's content, checked: it must name {@code name}, a version >= 1 and a weight in
   * (0, 1]. Anything else (a hand edit, a hostile writer) is refused naming the file and the field,
   * so a server never routes by a negative version or a NaN weight.
   */
  static Alias parseAlias(byte[] bytes, String name, String where) throws RegistryException {
    Alias a;
    try {
      a = Json.MAPPER.readValue(bytes, Alias.class);
    } catch (JacksonException e) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION, "alias file " + where + " is unreadable: " + e.getOriginalMessage(), e);
    }
    String problem = a == null ? "is empty"
        : !name.equals(a.name()) ? "names alias '" + a.name() + "'"
        : a.version() < 1 ? "points at version " + a.version() + " (must be >= 1)"
        : !(a.weight() > 0 && a.weight() <= 1) ? "has weight " + a.weight() + " (must be in (0, 1])"
        : null;
    if (problem != null) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION, "alias file " + where + " " + problem);
    }
    return a;
  }

  /** An alias history file's content, checked: a JSON array of events with their fields (time included) present and versions >= 0. */
  static List<AliasEvent> parseHistory(byte[] bytes, String where) throws RegistryException {
    AliasEvent[] events;
    try {
      events = Json.MAPPER.readValue(bytes, AliasEvent[].class);
    } catch (JacksonException e) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION, "alias history " + where + " is unreadable: " + e.getOriginalMessage(), e);
    }
    if (events == null) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION, "alias history " + where + " is empty");
    }
    for (int i = 0; i < events.length; i++) {
      AliasEvent e = events[i];
      if (e == null || e.alias() == null || e.action() == null || e.at() == null || e.fromVersion() < 0 || e.toVersion() < 0) {
        throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION,
            "alias history " + where + " has a malformed event at position " + i + " (alias, action and time required, versions >= 0)");
      }
    }
    return List.of(events);
  }

  List<Alias> readAll() throws IOException {
    List<Alias> aliases = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return aliases;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!name.equals("history") && !name.startsWith(".")) {
          read(name).ifPresent(aliases::add);
        }
      }
    }
    aliases.sort(java.util.Comparator.comparing(Alias::name));
    return aliases;
  }

  List<AliasEvent> history() throws IOException {
    Path file = dir.resolve(HISTORY_FILE);
    try {
      return parseHistory(BoundedFiles.read(file, MAX_HISTORY_BYTES, "alias history"), file.toString());
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** A change computed from the current state under the lock. */
  @FunctionalInterface
  interface Change {
    /**
     * @param current the alias now, if any
     * @param history the history so far, oldest first
     * @return the event to record and apply
     */
    AliasEvent decide(Optional<Alias> current, List<AliasEvent> history) throws IOException;
  }

  /** Work done while holding the model's alias lock; it fences its writes with the lease. */
  @FunctionalInterface
  interface Locked<T> {
    T run(RegistryLock lease) throws IOException;
  }

  /**
   * Runs {@code body} holding the lock that alias changes take: retention uses it so that it never
   * deletes a version an alias change is pointing at in the meantime.
   */
  <T> T locked(String actor, Locked<T> body) throws IOException {
    Files.createDirectories(dir);
    try (RegistryLock lock =
        RegistryLock.acquire(dir.resolve(LOCK_FILE), actor, clock, LOCK_STALE_AFTER, LOCK_TIMEOUT)) {
      return body.run(lock);
    }
  }

  /** Applies one change atomically with respect to other writers; returns the recorded event. */
  AliasEvent change(String name, String actor, Change change) throws IOException {
    SafeNames.requireAliasName(name);
    return locked(actor, lease -> {
      List<AliasEvent> history = history();
      AliasEvent event = change.decide(read(name), history);
      // The history first: a crash between the two writes leaves a recorded change that did not
      // happen (harmless to a rollback), never a change without its record.
      List<AliasEvent> updated = new ArrayList<>(history);
      updated.add(event);
      if (updated.size() > MAX_HISTORY) {
        updated = updated.subList(updated.size() - MAX_HISTORY, updated.size());
      }
      lease.checkHeld();
      AtomicFiles.write(dir.resolve(HISTORY_FILE), Json.MAPPER.writeValueAsBytes(updated));
      Path aliasFile = dir.resolve(name + ".json");
      lease.checkHeld();
      if (event.toVersion() == 0) {
        Files.deleteIfExists(aliasFile);
        AtomicFiles.fsyncDirectory(dir);
      } else {
        Alias alias =
            new Alias(name, event.toVersion(), event.weight(), event.at(), event.by(), event.reason());
        AtomicFiles.write(aliasFile, Json.MAPPER.writeValueAsBytes(alias));
      }
      return event;
    });
  }

  /**
   * The versions an alias can roll back to, most recent first: every promotion pushes the version
   * it replaced, every rollback pops one, a removal clears the stack.
   */
  static Deque<Long> rollbackStack(String alias, List<AliasEvent> history) {
    Deque<Long> stack = new ArrayDeque<>();
    for (AliasEvent e : history) {
      if (!e.alias().equals(alias)) {
        continue;
      }
      switch (e.action()) {
        case AliasEvent.PROMOTE -> {
          if (e.fromVersion() > 0 && e.fromVersion() != e.toVersion()) {
            stack.push(e.fromVersion());
          }
        }
        case AliasEvent.ROLLBACK -> {
          // Pop down to the version rolled back to; an explicit target deeper in the stack skips
          // the ones above it, a target not in the stack leaves it as it was plus the old version.
          if (stack.contains(e.toVersion())) {
            while (!stack.isEmpty() && stack.peek() != e.toVersion()) {
              stack.pop();
            }
            stack.poll();
          } else if (e.fromVersion() > 0) {
            stack.push(e.fromVersion());
          }
        }
        case AliasEvent.REMOVE -> stack.clear();
        default -> {
          // Unknown actions from a newer writer do not affect rollback.
        }
      }
    }
    return stack;
  }
}
