package dev.recsys.models.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token files: two tokens during a rotation, removal revokes, a half-written file keeps the old ones. */
class SecretFileTest {

  @TempDir Path dir;
  final AtomicLong nanos = new AtomicLong();

  SecretFile open(Path file) throws Exception {
    return SecretFile.open(file, Duration.ofSeconds(1), nanos::get);
  }

  void write(Path file, String text, int secondsLater) throws Exception {
    Files.writeString(file, text);
    // A distinct modification time, as a real rewrite would have.
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(secondsLater)));
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void matches_twoTokensDuringARotation_bothAccepted_firstIsSent() throws Exception {
    Path file = dir.resolve("token");
    write(file, "old-token\n", 0);
    SecretFile secret = open(file);
    write(file, "new-token\nold-token\n", 10);
    assertTrue(secret.matches("new-token"));
    assertTrue(secret.matches("old-token"));
    assertFalse(secret.matches("other"));
    assertEquals("new-token", secret.value());
    write(file, "new-token\n", 20);
    assertFalse(secret.matches("old-token"), "the old token ends with the rotation");
  }

  @Test
  void matches_fileRemoved_revokesTheToken_untilAFileIsBack() throws Exception {
    Path file = dir.resolve("token");
    write(file, "leaked-token\n", 0);
    SecretFile secret = open(file);
    assertTrue(secret.matches("leaked-token"));
    Files.delete(file);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertFalse(secret.matches("leaked-token"), "removing the file revokes the token");
    IllegalStateException e = assertThrows(IllegalStateException.class, secret::value);
    assertTrue(e.getMessage().contains(file.toString()) && !e.getMessage().contains("leaked-token"), e.getMessage());
    write(file, "fresh-token\n", 30);
    assertTrue(secret.matches("fresh-token"));
  }

  @Test
  void matches_fileRewrittenEmpty_keepsThePreviousToken() throws Exception {
    Path file = dir.resolve("token");
    write(file, "token\n", 0);
    SecretFile secret = open(file);
    write(file, "   \n", 10);
    assertTrue(secret.matches("token"), "a rotation caught half-way must not lock everyone out");
  }
}
