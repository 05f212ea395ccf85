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
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return hex(digest.digest());
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
