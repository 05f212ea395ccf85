package dev.recsys.server.engine;

/**
 * A request that cannot be answered as asked. {@link #kind()} says how the edge reports it; the
 * message always names the field or the thing, never internals.
 */
public final class RequestException extends RuntimeException {

  /** What went wrong, independent of any wire protocol. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    FAILED_PRECONDITION,
    UNAVAILABLE,
    RESOURCE_EXHAUSTED,
    CANCELLED,
    DEADLINE_EXCEEDED,
    UNAUTHENTICATED,
    PERMISSION_DENIED
  }

  private final Kind kind;

  public RequestException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static RequestException invalid(String message) {
    return new RequestException(Kind.INVALID_ARGUMENT, message);
  }

  public static RequestException notFound(String message) {
    return new RequestException(Kind.NOT_FOUND, message);
  }
}
