package dev.recsys.server.rpc;

import dev.recsys.models.console.Messages;
import dev.recsys.models.registry.RegistryException;
import dev.recsys.server.engine.RequestException;
import dev.recsys.server.scoring.ScoringRejectedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure into a gRPC status with a description for the caller. Known failures keep their
 * message; unexpected ones are logged with an incident id, and the caller gets only that id, never
 * a stack trace or internal detail.
 */
public final class Errors {

  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  public static Status toStatus(Throwable t) {
    return switch (t) {
      case StatusRuntimeException s -> s.getStatus();
      case RequestException r -> code(r.kind()).withDescription(Messages.describe(r));
      case RegistryException r -> registryCode(r.kind()).withDescription(Messages.describe(r));
      case ScoringRejectedException r -> Status.RESOURCE_EXHAUSTED.withDescription("server is overloaded: " + Messages.describe(r));
      case TimeoutException e -> Status.DEADLINE_EXCEEDED.withDescription(e.getMessage() != null ? e.getMessage() : "the deadline passed while scoring");
      case InterruptedException e -> Status.CANCELLED.withDescription("the call was cancelled");
      case IllegalArgumentException e -> Status.INVALID_ARGUMENT.withDescription(Messages.describe(e));
      default -> {
        String incident = UUID.randomUUID().toString();
        LOG.error("internal error {}", incident, t);
        yield Status.INTERNAL.withDescription("internal error (incident " + incident + ")");
      }
    };
  }

  static Status registryCode(RegistryException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> Status.NOT_FOUND;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case CONFLICT -> Status.ABORTED;
    };
  }

  static Status code(RequestException.Kind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case CANCELLED -> Status.CANCELLED;
      case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
      case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
      case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
    };
  }
}
