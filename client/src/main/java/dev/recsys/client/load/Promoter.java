package dev.recsys.client.load;

import dev.recsys.client.connect.Connection;
import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.LoadedVersion;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.ServingStatus;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Promotes the production alias through a list of versions at a fixed interval while load runs (the
 * soak test's "a promotion every 10 seconds"), then checks that the server let go of every version
 * it no longer routes to.
 */
public final class Promoter implements ReportSection, AutoCloseable {

  /** One promotion: when (seconds since start), to which version, and the error if it failed. */
  public record Promotion(double atSeconds, long version, String error) {}

  private final Connection connection;
  private final List<Long> versions;
  private final Duration every;
  private final Duration releaseWait;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("promoter").daemon().factory());
  private final List<Promotion> promotions = new ArrayList<>();
  private final long start;
  private List<LoadedVersion> loadedAtEnd = List.of();
  private String endError;
  private int next;

  /**
   * @param versions promoted in turn, round robin
   * @param releaseWait how long the server may take, after the run, to release retired versions
   *     (their last calls draining)
   * @param startNanos {@link System#nanoTime()} at the start of the run, the origin of event times
   */
  public Promoter(Connection connection, List<Long> versions, Duration every, Duration releaseWait, long startNanos) {
    if (versions.size() < 2) {
      throw new IllegalArgumentException("--promote-versions needs at least two versions to rotate through, got " + versions);
    }
    if (every.toMillis() < 100) {
      throw new IllegalArgumentException("--promote-every must be at least 100 ms, got " + every);
    }
    this.connection = connection;
    this.versions = List.copyOf(versions);
    this.every = every;
    this.releaseWait = releaseWait;
    this.start = startNanos;
  }

  /**
   * Starts promoting, the first time one interval after {@code warmup}: promotions happen under
   * the measured, full-rate load, none while an open loop is still ramping up.
   */
  public Promoter start(Duration warmup) {
    scheduler.scheduleAtFixedRate(this::promoteNext, warmup.plus(every).toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void promoteNext() {
    long version = versions.get(next++ % versions.size());
    double at = (System.nanoTime() - start) / 1e9;
    String error = null;
    try {
      connection.admin().promote(PromoteRequest.newBuilder().setAlias("production").setVersion(version)
          .setReason("load test: promotion every " + every.toMillis() + " ms").build());
    } catch (StatusRuntimeException e) {
      error = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
    }
    synchronized (promotions) {
      promotions.add(new Promotion(at, version, error));
    }
    System.err.printf(Locale.ROOT, "  %5.1fs  promoted version %d to production%s%n", at, version, error == null ? "" : " FAILED: " + error);
  }

  /** Times of the promotions (seconds since start), for plots. */
  public double[] times() {
    synchronized (promotions) {
      return promotions.stream().mapToDouble(Promotion::atSeconds).toArray();
    }
  }

  /** Stops promoting, then waits for the server to hold only the versions it routes to. */
  @Override
  public void close() {
    // shutdown, not shutdownNow: a promotion under way is let finish rather than interrupted (an
    // interrupted call would be reported as a failed promotion).
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long deadline = System.nanoTime() + releaseWait.toNanos();
    while (true) {
      try {
        ServingStatus status = connection.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance());
        loadedAtEnd = status.getLoadedList();
        if (retired().isEmpty() || System.nanoTime() - deadline > 0) {
          return;
        }
      } catch (StatusRuntimeException e) {
        endError = e.getStatus().toString();
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Versions still loaded that no route serves. */
  public List<Long> retired() {
    return loadedAtEnd.stream().filter(v -> v.getRoutesCount() == 0).map(LoadedVersion::getVersion).toList();
  }

  private long failures() {
    synchronized (promotions) {
      return promotions.stream().filter(p -> p.error() != null).count();
    }
  }

  @Override
  public boolean failed() {
    return failures() > 0 || !retired().isEmpty() || endError != null;
  }

  @Override
  public String text() {
    StringBuilder sb = new StringBuilder("\nPromotions:\n");
    synchronized (promotions) {
      sb.append(String.format(Locale.ROOT, "  %d promotions of production every %.1f s through versions %s, %d failed%n",
          promotions.size(), every.toMillis() / 1000.0, versions, failures()));
      promotions.stream().filter(p -> p.error() != null).limit(5)
          .forEach(p -> sb.append(String.format(Locale.ROOT, "  at %.1f s to version %d: %s%n", p.atSeconds(), p.version(), p.error())));
    }
    if (endError != null) {
      sb.append("  serving status after the run could not be read: ").append(endError).append('\n');
    } else {
      sb.append("  loaded after the run: ");
      sb.append(String.join(", ", loadedAtEnd.stream().map(v -> "version " + v.getVersion()
          + (v.getRoutesCount() == 0 ? " (no route)" : " (" + String.join(", ", v.getRoutesList()) + ")")).toList()));
      sb.append('\n');
      List<Long> retired = retired();
      sb.append("  retired versions still loaded ").append(String.format(Locale.ROOT, "%.0f s after the run: ", releaseWait.toMillis() / 1000.0))
          .append(retired.isEmpty() ? "none" : retired.toString()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void json(ObjectNode root) {
    ObjectNode o = root.putObject("promotions");
    o.put("every_ms", every.toMillis());
    o.put("failed", failures());
    ArrayNode list = o.putArray("events");
    synchronized (promotions) {
      for (Promotion p : promotions) {
        ObjectNode e = list.addObject();
        e.put("at_s", p.atSeconds());
        e.put("version", p.version());
        if (p.error() != null) {
          e.put("error", p.error());
        }
      }
    }
    ArrayNode loaded = o.putArray("loaded_after_run");
    loadedAtEnd.forEach(v -> loaded.add(v.getVersion()));
    ArrayNode retired = o.putArray("retired_still_loaded");
    retired().forEach(retired::add);
  }

  @Override
  public List<Path> plots(Path dir, String name) {
    return List.of();
  }
}
