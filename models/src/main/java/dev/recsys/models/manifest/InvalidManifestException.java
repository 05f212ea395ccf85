package dev.recsys.models.manifest;

import java.io.IOException;

/** A manifest that cannot be used: unreadable, structurally wrong, or of an unknown format. */
public class InvalidManifestException extends IOException {

  public InvalidManifestException(String message) {
    super(message);
  }

  public InvalidManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
