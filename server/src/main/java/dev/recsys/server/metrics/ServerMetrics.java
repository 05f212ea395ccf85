package dev.recsys.server.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import dev.recsys.server.serving.ModelManager;
import dev.recsys.server.serving.RegistryWatcher;
import dev.recsys.server.serving.Snapshot;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.Predicate;
import io.prometheus.client.SampleNameFilter;
import io.prometheus.client.cache.caffeine.CacheMetricsCollector;
import io.prometheus.client.exporter.HTTPServer;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The server's metrics, in their own registry (so tests can create several servers). */
public final class ServerMetrics implements RegistryWatcher.LoadListener, AutoCloseable {

  /**
   * Latency buckets in seconds: sub-millisecond resolution where the server lives, and up to the
   * server's own per-call limit ({@code --max-call-ms}, 10 s by default), so that an overload's p99
   * reads as what it is instead of the last finite bucket.
   */
  static final double[] LATENCY_BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  /** Metrics registered (by the JVM's default exports) but never computed nor served. */
  static final Predicate<String> NOT_SCRAPED = new SampleNameFilter.Builder()
      .nameMustNotStartWith("jvm_threads_deadlocked").build();

  private final CollectorRegistry registry = new CollectorRegistry();
  private final Counter calls = Counter.build("recsys_grpc_calls_total", "gRPC calls by method and status code.")
      .labelNames("method", "code").register(registry);
  private final Histogram latency = Histogram.build("recsys_grpc_latency_seconds",
      "gRPC call latency by method and status code, from the call's arrival (queueing for a thread included) to its answer.")
      .labelNames("method", "code").buckets(LATENCY_BUCKETS).register(registry);
  private final Gauge inFlight = Gauge.build("recsys_grpc_in_flight", "gRPC calls being handled.").register(registry);
  private final Counter served = Counter.build("recsys_served_total", "Answers by method, model version and route.")
      .labelNames("method", "version", "route").register(registry);
  private final Counter shed = Counter.build("recsys_shed_total",
      "Calls refused at once by admission control, by reason: concurrency (too many calls admitted) or queue (waited too long for a thread).")
      .labelNames("reason").register(registry);
  private final Gauge modelInfo = Gauge.build("recsys_model_version_info", "Loaded model versions (1) by route.")
      .labelNames("model", "version", "route").register(registry);
  private final Counter loads = Counter.build("recsys_model_loads_total", "Model version loads by result.")
      .labelNames("result").register(registry);
  private final Histogram loadSeconds = Histogram.build("recsys_model_load_seconds", "Time to load and validate a version.")
      .buckets(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120).register(registry);
  private final Gauge lastLoadFailure = Gauge.build("recsys_model_last_load_failure_version", "Version of the last failed load (0: none).")
      .register(registry);
  private final CacheMetricsCollector caches = new CacheMetricsCollector().register(registry);
  private final String model;
  private HTTPServer http;

  public ServerMetrics(String model) {
    this.model = model;
    DefaultExports.register(registry);
  }

  public CollectorRegistry registry() {
    return registry;
  }

  /** Exposes a Caffeine cache's statistics under {@code name}. */
  public void addCache(String name, Cache<?, ?> cache) {
    if (cache != null) {
      caches.addCache(name, cache);
    }
  }

  /**
   * Serves {@code /metrics} on {@code port} (0 picks one); returns the port. Every metric of the
   * registry except the JVM's deadlocked-thread gauges: computing those stops every thread of the
   * JVM at a safepoint, twice a scrape, and the exporter skips that work for names the filter
   * refuses. (A safepoint during a version load waits for the loader, which runs at the lowest CPU
   * priority: the soak logged one 167 ms wait, docs/benchmarks.md.)
   */
  public int serve(String host, int port) throws IOException {
    http = new HTTPServer.Builder().withInetSocketAddress(new InetSocketAddress(host, port)).withRegistry(registry)
        .withDaemonThreads(true).withSampleNameFilter(NOT_SCRAPED).build();
    return http.getPort();
  }

  public void callStarted() {
    inFlight.inc();
  }

  public void callFinished(String method, String code, double seconds) {
    inFlight.dec();
    calls.labels(method, code).inc();
    latency.labels(method, code).observe(seconds);
  }

  public void answered(String method, long version, String route) {
    served.labels(method, Long.toString(version), route).inc();
  }

  /** A call refused by admission control; {@code reason} is {@code concurrency} or {@code queue}. */
  public void shed(String reason) {
    shed.labels(reason).inc();
  }

  /** Follows the snapshot: one info series per loaded version. */
  public void watch(ModelManager manager) {
    manager.onChange(this::update);
    // Read at scrape time: a device can fail at any moment, not only when versions change.
    new io.prometheus.client.Collector() {
      @Override
      public java.util.List<MetricFamilySamples> collect() {
        io.prometheus.client.GaugeMetricFamily fallback = new io.prometheus.client.GaugeMetricFamily("recsys_scoring_fallback",
            "1 when a loaded version's scoring device failed and its CPU kernel scores instead.", java.util.List.of("version"));
        io.prometheus.client.CounterMetricFamily batches = new io.prometheus.client.CounterMetricFamily("recsys_scoring_batches",
            "Batches a loaded version's batched scoring ran (with batching on).", java.util.List.of("version"));
        io.prometheus.client.CounterMetricFamily batched = new io.prometheus.client.CounterMetricFamily("recsys_scoring_batched_requests",
            "Requests in those batches: divided by recsys_scoring_batches_total, the mean batch size.", java.util.List.of("version"));
        manager.snapshot().models().forEach((version, loaded) -> {
          java.util.List<String> label = java.util.List.of(Long.toString(version));
          fallback.addMetric(label, loaded.engine().scoringFellBack() ? 1 : 0);
          var counts = loaded.engine().scoringBatches();
          batches.addMetric(label, counts.batches());
          batched.addMetric(label, counts.requests());
        });
        return java.util.List.of(fallback, batches, batched);
      }
    }.register(registry);
  }

  private synchronized void update(Snapshot s) {
    modelInfo.clear();
    for (long v : s.models().keySet()) {
      String route = v == s.production() ? "production" : v == s.canary() ? "canary" : "none";
      modelInfo.labels(model, Long.toString(v), route).set(1);
    }
  }

  @Override
  public void loaded(long version, double seconds) {
    loads.labels("success").inc();
    loadSeconds.observe(seconds);
  }

  @Override
  public void failed(long version, String reason, double seconds) {
    loads.labels("failure").inc();
    loadSeconds.observe(seconds);
    lastLoadFailure.set(version);
  }

  @Override
  public void closed(long version) {
    // The info series disappears with the snapshot update that retired the version.
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
  }
}
