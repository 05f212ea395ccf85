package dev.recsys.models.bundle;

import java.io.IOException;

/** A model version whose artifacts cannot be served: unreadable, inconsistent, or failing its smoke tests. */
public class InvalidBundleException extends IOException {

  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
