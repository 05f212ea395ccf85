package dev.recsys.models.registry;

import java.io.IOException;

/**
 * A registry operation that cannot be carried out. {@link #kind()} tells callers (the gRPC edge, the
 * CLI) how to report it without parsing messages.
 */
public class RegistryException extends IOException {

  /** Why the operation failed. */
  public enum Kind {
    /** The model, version or alias does not exist. */
    NOT_FOUND,
    /** The operation is valid but the registry's state forbids it (invalid version, nothing to roll back to). */
    FAILED_PRECONDITION,
    /** An argument is malformed (bad name, weight out of range). */
    INVALID_ARGUMENT,
    /** Another writer holds the registry lock for too long. */
    CONFLICT
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
