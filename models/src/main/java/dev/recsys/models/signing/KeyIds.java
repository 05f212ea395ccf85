package dev.recsys.models.signing;

import java.security.PublicKey;

/** Short names of public keys, so refusals and logs can say which key signed. */
public final class KeyIds {

  private KeyIds() {}

  /** The first 16 hex digits of the SHA-256 of the key's standard (X.509) encoding. */
  public static String of(PublicKey key) {
    return dev.recsys.models.io.Sha256.of(key.getEncoded()).substring(0, 16);
  }
}
