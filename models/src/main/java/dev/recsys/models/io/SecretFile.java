package dev.recsys.models.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A secret (a bearer token) kept in a file, such as a mounted Kubernetes secret, re-read when the
 * file changes so a rotated secret takes effect without a restart.
 *
 * <p>The file holds the secret on its first line; surrounding whitespace is ignored. The file's
 * modification time and size are checked at most once per {@code checkInterval}; a changed file
 * that cannot be read or is empty keeps the previous secret (a rotation caught half-way must not
 * lock everyone out). Nothing here ever puts the secret into an exception message or a
 * {@link #toString()}: only the file's path.
 */
public final class SecretFile {

  private final Path path;
  private final long checkIntervalNanos;
  private final LongSupplier nanoTime;
  private volatile Loaded loaded;
  private volatile long lastCheck;

  private record Loaded(byte[] secret, byte[] digest, FileTime modified, long size) {}

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

  /** The current secret as text (for a client that sends it). */
  public String value() {
    return new String(current().secret, StandardCharsets.UTF_8);
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
    return MessageDigest.isEqual(digest, current().digest);
  }

  private Loaded current() {
    long now = nanoTime.getAsLong();
    if (now - lastCheck >= checkIntervalNanos) {
      lastCheck = now;
      Loaded before = loaded;
      try {
        FileTime modified = Files.getLastModifiedTime(path);
        long size = Files.size(path);
        if (!modified.equals(before.modified) || size != before.size) {
          loaded = read(path);
        }
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
    String text = Files.readString(path, StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    String secret = (newline < 0 ? text : text.substring(0, newline)).strip();
    if (secret.isEmpty()) {
      throw new IOException("secret file " + path + " is empty");
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    return new Loaded(bytes, Sha256.newDigest().digest(bytes), modified, size);
  }

  @Override
  public String toString() {
    return "SecretFile[" + path + "]";
  }
}
