package dev.recsys.models.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A secret (a bearer token) kept in a file, such as a mounted Kubernetes secret, re-read when the
 * file changes so a rotated secret takes effect without a restart.
 *
 * <p>Every non-empty line of the file is an accepted secret, so two tokens can be valid at once
 * while callers move from the old one to the new (rotation without a gap); a client sends the first
 * line. Surrounding whitespace is ignored. The file's modification time and size are checked at
 * most once per {@code checkInterval}; a changed file that cannot be read or is empty keeps the
 * previous secrets (a rotation caught half-way must not lock everyone out), but a file that is
 * <b>gone</b> revokes them: removing the file is how an operator withdraws a leaked token. Nothing here ever puts the secret into an exception message or a
 * {@link #toString()}: only the file's path.
 */
public final class SecretFile {

  private final Path path;
  private final long checkIntervalNanos;
  private final LongSupplier nanoTime;
  private volatile Loaded loaded;
  private volatile long lastCheck;

  /** The secrets read: the first (what a client sends) and the digests of all; none when revoked. */
  private record Loaded(byte[] secret, List<byte[]> digests, FileTime modified, long size) {}

  /** Most secrets a file may hold (rotation needs two). */
  static final int MAX_SECRETS = 8;

  private static final Loaded REVOKED = new Loaded(null, List.of(), null, -1);

  private SecretFile(Path path, Duration checkInterval, LongSupplier nanoTime) throws IOException {
    this.path = path;
    this.checkIntervalNanos = checkInterval.toNanos();
    this.nanoTime = nanoTime;
    this.loaded = read(path);
    this.lastCheck = nanoTime.getAsLong();
  }

  /**
   * Reads the secret now.
   *
   * @throws IOException naming the file when it is missing, unreadable or holds no secret
   */
  public static SecretFile open(Path path) throws IOException {
    return new SecretFile(path, Duration.ofSeconds(1), System::nanoTime);
  }

  /** As {@link #open(Path)}, with the re-check interval and clock chosen (tests). */
  public static SecretFile open(Path path, Duration checkInterval, LongSupplier nanoTime) throws IOException {
    return new SecretFile(path, checkInterval, nanoTime);
  }

  public Path path() {
    return path;
  }

  /**
   * The current secret as text (for a client that sends it): the file's first line.
   *
   * @throws IllegalStateException naming the file when it was removed (the secret is revoked)
   */
  public String value() {
    Loaded now = current();
    if (now.secret() == null) {
      throw new IllegalStateException("secret file " + path + " was removed: its secret is revoked");
    }
    return new String(now.secret(), StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code presented} equals the current secret, in time that does not depend on where they
   * differ or on the secret's length (both sides are hashed first, then compared in constant time).
   */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] digest = Sha256.newDigest().digest(presented.getBytes(StandardCharsets.UTF_8));
    boolean match = false;
    // Every accepted secret is compared, so the time taken does not tell which one matched.
    for (byte[] accepted : current().digests()) {
      match |= MessageDigest.isEqual(digest, accepted);
    }
    return match;
  }

  private Loaded current() {
    long now = nanoTime.getAsLong();
    if (now - lastCheck >= checkIntervalNanos) {
      lastCheck = now;
      Loaded before = loaded;
      try {
        FileTime modified = Files.getLastModifiedTime(path);
        long size = Files.size(path);
        if (!modified.equals(before.modified()) || size != before.size()) {
          loaded = read(path);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        loaded = REVOKED;
      } catch (IOException e) {
        // Keep the previous secret: a rotation in progress (or a briefly missing mount) must not
        // turn into an outage. The next check tries again.
      }
    }
    return loaded;
  }

  private static Loaded read(Path path) throws IOException {
    FileTime modified = Files.getLastModifiedTime(path);
    long size = Files.size(path);
    if (size > 64 * 1024) {
      throw new IOException("secret file " + path + " is larger than 64 KiB: not a token");
    }
    List<String> secrets = Files.readString(path, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (secrets.isEmpty()) {
      throw new IOException("secret file " + path + " is empty");
    }
    if (secrets.size() > MAX_SECRETS) {
      throw new IOException("secret file " + path + " holds " + secrets.size() + " lines, more than the " + MAX_SECRETS + " secrets allowed");
    }
    List<byte[]> digests = secrets.stream().map(t -> Sha256.newDigest().digest(t.getBytes(StandardCharsets.UTF_8))).toList();
    return new Loaded(secrets.getFirst().getBytes(StandardCharsets.UTF_8), digests, modified, size);
  }

  @Override
  public String toString() {
    return "SecretFile[" + path + "]";
  }
}
