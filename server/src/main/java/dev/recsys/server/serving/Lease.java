package dev.recsys.server.serving;

import dev.recsys.server.engine.ModelEngine;

/**
 * A request's hold on the version it is served by: the version stays loaded until the lease is
 * closed, even if it is retired meanwhile. Close exactly once (try-with-resources).
 *
 * @param route "production", "canary" or "pinned"
 */
public final class Lease implements AutoCloseable {

  private final LoadedModel model;
  private final String route;
  private boolean closed;

  Lease(LoadedModel model, String route) {
    this.model = model;
    this.route = route;
  }

  public ModelEngine engine() {
    return model.engine();
  }

  public long version() {
    return model.version();
  }

  public String route() {
    return route;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.releaseRequest();
    }
  }
}
