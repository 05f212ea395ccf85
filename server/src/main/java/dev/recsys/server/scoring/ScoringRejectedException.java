package dev.recsys.server.scoring;

/** The scorer's queue is full: the caller should shed the request rather than wait. */
public final class ScoringRejectedException extends RuntimeException {

  public ScoringRejectedException(String message) {
    super(message, null, false, false);
  }
}
