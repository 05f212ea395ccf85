package dev.recsys.server.serving;

import dev.recsys.server.engine.RequestException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Holds the live {@link Snapshot} and hands out leases. Readers take no lock: one atomic read, one
 * reference count increment. Writers ({@link #publish}) are serialised and retire versions the new
 * snapshot no longer routes to; a retired version closes when its last lease is returned.
 */
public final class ModelManager {

  /** A version that could not be loaded. */
  public record FailedLoad(long version, Instant at, String reason) {}

  static final int FAILURES_KEPT = 20;

  private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);
  private final Deque<FailedLoad> failures = new ArrayDeque<>();
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  /** Retired versions until they close (see {@link #retiring()}). */
  private final java.util.Set<LoadedModel> retiring = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Snapshot snapshot() {
    return current.get();
  }

  /** Called with each new snapshot (health, metrics). */
  public void onChange(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  /**
   * A lease on the version that serves {@code routingKey}, or on {@code pinned} when given.
   *
   * @throws RequestException UNAVAILABLE before any version is loaded; NOT_FOUND for a pinned
   *     version that is not loaded
   */
  public Lease acquire(Long pinned, long routingKey) {
    return lease(s -> {
      if (pinned != null) {
        LoadedModel model = s.models().get(pinned);
        if (model == null) {
          throw RequestException.notFound("version " + pinned + " is not loaded (loaded: " + s.models().keySet() + ")");
        }
        return new Choice(model, "pinned");
      }
      String route = s.routeOf(routingKey);
      return new Choice(s.models().get(route.equals("canary") ? s.canary() : s.production()), route);
    });
  }

  /**
   * A lease on the production version whatever the canary's share: for calls about the serving
   * model rather than one user's answer (a sample of its users for a load generator).
   *
   * @throws RequestException UNAVAILABLE before any version is loaded
   */
  public Lease acquireProduction() {
    return lease(s -> new Choice(s.models().get(s.production()), "production"));
  }

  /** A version picked from a snapshot, and the route it is picked for. */
  private record Choice(LoadedModel model, String route) {}

  /** A lease on the version {@code choose} picks from the current snapshot. */
  private Lease lease(java.util.function.Function<Snapshot, Choice> choose) {
    while (true) {
      Snapshot s = current.get();
      if (!s.serving()) {
        throw new RequestException(RequestException.Kind.UNAVAILABLE, "no model version is loaded yet; retry shortly");
      }
      Choice chosen = choose.apply(s);
      if (chosen.model().tryAcquire()) {
        return new Lease(chosen.model(), chosen.route());
      }
      // The version was retired and closed between reading the snapshot and acquiring: re-read.
    }
  }

  /**
   * Makes {@code production} (and optionally a canary) the routed versions. {@code loaded} holds
   * newly loaded versions (each with its initial reference, owned by the snapshot from now on).
   * Versions no longer routed are retired.
   */
  public synchronized void publish(Map<Long, LoadedModel> loaded, long production, long canary, double canaryWeight) {
    Snapshot old = current.get();
    Map<Long, LoadedModel> models = new HashMap<>(old.models());
    models.putAll(loaded);
    List<LoadedModel> retired = new ArrayList<>();
    for (var it = models.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey() != production && e.getKey() != canary) {
        retired.add(e.getValue());
        it.remove();
      }
    }
    Snapshot next = new Snapshot(models, production, canary, canary == 0 ? 0 : canaryWeight);
    current.set(next);
    for (LoadedModel m : retired) {
      // Forgotten as soon as it closes: a closed version's arrays must not stay reachable until the
      // next publication (the next version is loaded before that).
      retiring.add(m);
      m.whenClosed(() -> retiring.remove(m));
      m.release();
    }
    for (Consumer<Snapshot> l : listeners) {
      l.accept(next);
    }
  }

  /**
   * Versions no route serves any more that are still loaded: calls in flight drain them, and one
   * that stays here long after its last call leaked a reference (the soak checks for it).
   */
  public List<LoadedModel> retiring() {
    return List.copyOf(retiring);
  }

  public synchronized void recordFailure(FailedLoad failure) {
    failures.addFirst(failure);
    while (failures.size() > FAILURES_KEPT) {
      failures.removeLast();
    }
  }

  /** Most recent first. */
  public synchronized List<FailedLoad> failures() {
    return List.copyOf(failures);
  }

  /** Retires everything (shutdown). */
  public synchronized void clear() {
    retiring.clear();
    Snapshot old = current.getAndSet(Snapshot.EMPTY);
    for (LoadedModel m : old.models().values()) {
      m.release();
    }
    for (Consumer<Snapshot> l : listeners) {
      l.accept(Snapshot.EMPTY);
    }
  }
}
