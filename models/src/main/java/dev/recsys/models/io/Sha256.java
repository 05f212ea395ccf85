package dev.recsys.models.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex strings. */
public final class Sha256 {

  private Sha256() {}

  /** A new SHA-256 digest (always available in every JDK). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Digest of a whole file, streamed. */
  public static String of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    }
  }

  /** Digest of what {@code in} holds to its end, streamed (the stream is not closed). */
  public static String of(InputStream in) throws IOException {
    MessageDigest digest = newDigest();
    update(digest, in);
    return hex(digest.digest());
  }

  /** Feeds {@code digest} everything {@code in} holds to its end (the stream is not closed). */
  public static void update(MessageDigest digest, InputStream in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
  }

  /** Digest of bytes. */
  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** Lower-case hex of a digest. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** True when {@code value} looks like a SHA-256 hex digest. */
  public static boolean isHexDigest(String value) {
    return value != null && value.matches("[0-9a-f]{64}");
  }
}
