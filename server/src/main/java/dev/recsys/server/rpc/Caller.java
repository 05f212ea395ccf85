package dev.recsys.server.rpc;

import io.grpc.Context;

/**
 * Who is calling, as established by the authorisation interceptor (a client-certificate subject or a
 * token's name), recorded in the alias history. "anonymous" when the server requires no credential.
 */
public final class Caller {

  /** Set by the authorisation interceptor for the duration of a call. */
  public static final Context.Key<String> IDENTITY = Context.key("recsys-caller");

  private Caller() {}

  public static String identity() {
    String id = IDENTITY.get();
    return id == null ? "anonymous" : id;
  }
}
