package dev.recsys.server;

import ai.djl.engine.Engine;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.signing.TrustedKeys;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.server.cache.ResultCache;
import dev.recsys.server.cache.VectorCaches;
import dev.recsys.server.config.Device;
import dev.recsys.server.config.ServerConfig;
import dev.recsys.server.metrics.ServerMetrics;
import dev.recsys.server.rpc.ArrivalTime;
import dev.recsys.server.rpc.CallLimiter;
import dev.recsys.server.rpc.MetricsInterceptor;
import dev.recsys.server.rpc.ModelAdminService;
import dev.recsys.server.rpc.RecommenderService;
import dev.recsys.server.security.Authorization;
import dev.recsys.server.security.ServerTls;
import dev.recsys.server.serving.ModelLoader;
import dev.recsys.server.serving.ModelManager;
import dev.recsys.server.serving.RegistryWatcher;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's parts and their lifecycle. Health is NOT_SERVING until a version is loaded and
 * SERVING from then on (a later failed load does not change it: the old version keeps serving).
 * {@link #shutdown} turns health to NOT_SERVING, stops taking calls, lets calls in flight finish up
 * to the drain timeout, then releases the models.
 */
public final class RecsysServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RecsysServer.class);

  /** Health service name of the recommendation API (the empty name covers the whole server). */
  public static final String SERVICE = "recsys.v1.Recommender";

  /**
   * The health-check name that is SERVING from construction to shutdown, whether or not a version is
   * loaded yet: for liveness and start-up probes ({@link #SERVICE} and {@code ""} say whether a
   * version serves, for readiness).
   */
  public static final String LIVENESS = "liveness";

  private final ServerConfig config;
  private final ModelRegistry registry;
  private final ModelManager models = new ModelManager();
  private final VectorCaches vectors;
  private final ResultCache<RecommendResponse> results;
  private final ServerMetrics metrics;
  // gRPC's Netty handler logs a WARNING with a stack trace (a stack walk, on the transport thread)
  // for every stream the client reset before its answer was written: routine under load when
  // callers' deadlines pass. Once a server falls behind, those logs slow the transport further
  // and it never catches up. Held here, as JUL keeps loggers weakly.
  private static final java.util.logging.Logger NETTY_STREAM_ERRORS = quiet("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

  private final RegistryWatcher watcher;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ExecutorService workers;
  private final Server server;
  /** The plaintext health-only server ({@code --health-port}), or null. */
  private Server healthServer;
  private final ExecutorService healthExecutor =
      Executors.newFixedThreadPool(2, Thread.ofPlatform().name("grpc-health-", 0).daemon().factory());
  private final String device;
  private ServerTls tls;
  private int metricsPort = -1;

  /**
   * @param builder the transport (Netty on a port, or in-process in tests); its services,
   *     interceptors and executor are set here
   * @param extraInterceptors applied to both services inside the built-in ones (tests)
   * @throws IOException when a token file of the security settings cannot be read
   */
  public RecsysServer(ServerConfig config, ServerBuilder<?> builder, Clock clock, List<ServerInterceptor> extraInterceptors)
      throws IOException {
    this.config = config.validate();
    // First, so a bad token file stops the start before anything is allocated.
    Authorization authorization = Authorization.of(config.security());
    this.registry = new ModelRegistry(config.registry(), clock);
    this.metrics = new ServerMetrics(config.model());
    this.vectors = new VectorCaches(config.userCacheSize());
    this.results = new ResultCache<>(config.resultCacheSize(), config.resultCacheTtl(), RecommendResponse::getSerializedSize);
    metrics.addCache("profile_vectors", vectors.cache());
    metrics.addCache("recommend_results", results.cache());
    metrics.watch(models);
    boolean gpu = resolveGpu(config.device());
    this.device = gpu ? "gpu" : config.batching() ? "cpu (batched)" : "cpu";
    ModelLoader loader = new ModelLoader(registry, config.model(),
        new ModelLoader.Scoring(gpu, config.batching(), config.batchSize(), config.maxBatchDelay(), Math.max(64, config.maxConcurrentCalls() * 2),
            config.graphIndex(), config.warmUp()),
        vectors::forVersion, clock, trustedKeys(config.security()));
    RegistryWatcher.LoadListener listener = new RegistryWatcher.LoadListener() {
      @Override
      public void loaded(long version, double seconds) {
        metrics.loaded(version, seconds);
      }

      @Override
      public void failed(long version, String reason, double seconds) {
        metrics.failed(version, reason, seconds);
      }

      @Override
      public void closed(long version) {
        vectors.evictVersion(version);
        LOG.info("released {} version {}", config.model(), version);
      }
    };
    this.watcher = new RegistryWatcher(registry, config.model(), loader, models, config.pollInterval(), Duration.ofMinutes(5), clock, listener,
        config.loadTimeout(), config.loadNice());
    models.onChange(s -> {
      ServingStatus status = s.serving() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
      health.setStatus("", status);
      health.setStatus(SERVICE, status);
    });
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    // Alive from here until shutdown, version loaded or not: what liveness and start-up probes ask,
    // so that a server waiting for its first version is not restarted while it waits.
    health.setStatus(LIVENESS, ServingStatus.SERVING);

    // Batched scoring makes callers wait for their batch: on virtual threads that wait holds no
    // platform thread, so batches are not capped by a pool. CPU scoring keeps a fixed pool, whose
    // threads keep their scratch buffers (thread-locals) from call to call.
    this.workers = config.workerThreads() == 0
        ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("grpc-call-", 0).factory())
        : Executors.newFixedThreadPool(config.workerThreads(), Thread.ofPlatform().name("grpc-worker-", 0).daemon().factory());
    List<ServerInterceptor> interceptors = new ArrayList<>();
    // Listed innermost first: metrics see every call, including those refused; authorisation runs
    // before the limiter, so calls without a valid credential never take a slot.
    interceptors.add(new CallLimiter(config.maxConcurrentCalls(), config.maxQueueWait(), metrics));
    interceptors.addAll(extraInterceptors.reversed());
    interceptors.add(authorization);
    interceptors.add(new MetricsInterceptor(metrics));
    // Admin calls return once the alias is recorded; the load runs on the watcher's own threads
    // (a worker used to wait here for the whole load).
    Runnable aliasChanged = watcher::checkSoon;
    this.server = builder
        .executor(workers)
        .addStreamTracerFactory(new ArrivalTime(config.maxCallTime()))
        .addService(intercept(new RecommenderService(models, config.model(), results, metrics), interceptors))
        .addService(intercept(new ModelAdminService(registry, config.model(), models, aliasChanged), interceptors))
        .addService(health.getHealthService())
        // Reflection lists every service and message: READ access, like the API it describes (it was
        // answered to anyone, whatever --recommender-token-file said).
        .addService(intercept(ProtoReflectionServiceV1.newInstance(), List.of(authorization)))
        .build();
  }

  /**
   * Most stream resets ({@code RST_STREAM}) one connection may send in {@link #RESET_WINDOW_SECONDS}
   * before the server closes it ({@code GOAWAY ENHANCE_YOUR_CALM}): the HTTP/2 "rapid reset" attack
   * (CVE-2023-44487) opens and cancels streams as fast as it can, each starting work on the server
   * and counting against no stream limit. A client cancels a stream when its deadline passes or it
   * gives up, so honest clients stay far below 200 a second per connection even under overload
   * (the server sheds excess calls itself, with RESOURCE_EXHAUSTED, before callers time out).
   */
  static final int MAX_RESETS_PER_WINDOW = 2_000;

  /** The window {@link #MAX_RESETS_PER_WINDOW} is counted over. */
  static final int RESET_WINDOW_SECONDS = 10;

  /**
   * A server on a Netty socket at the configured host and port, with the configured TLS (whose
   * certificate files it re-reads while it runs), message and metadata size limits, and the
   * per-connection reset limit above. Streams per connection are deliberately not capped: HTTP/2
   * clients queue calls over the cap locally and silently (grpc-java waits without a deadline of its
   * own, grpc-java#8252), and in a test here a Java client whose calls were cancelled at the cap
   * never opened the next one; the server's own call limit ({@code --max-concurrent-calls}) sheds
   * excess calls with RESOURCE_EXHAUSTED instead, and each stream's memory is bounded by the message
   * and metadata limits.
   */
  public static RecsysServer onNetty(ServerConfig config, Clock clock, List<ServerInterceptor> extraInterceptors) throws IOException {
    ServerTls tls = ServerTls.load(config.security());
    try {
      NettyServerBuilder builder = bounded(NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()), tls.credentials()),
          config)
          .maxInboundMessageSize(config.maxInboundMessageBytes())
          .permitKeepAliveTime(10, TimeUnit.SECONDS);
      RecsysServer server = new RecsysServer(config, builder, clock, extraInterceptors);
      server.tls = tls;
      return server;
    } catch (IOException | RuntimeException e) {
      tls.close();
      throw e;
    }
  }

  /** The limits every listening port of the server keeps: metadata size and the reset-flood limit. */
  private static NettyServerBuilder bounded(NettyServerBuilder builder, ServerConfig config) {
    return builder
        .maxInboundMetadataSize(config.maxInboundMetadataBytes())
        .maxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS);
  }

  private static io.grpc.ServerServiceDefinition intercept(BindableService service, List<ServerInterceptor> interceptors) {
    return ServerInterceptors.intercept(service, interceptors);
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  /** The keys versions must be signed with, read once at start (a bad key file stops the start, naming it). */
  private static TrustedKeys trustedKeys(ServerConfig.Security security) throws IOException {
    if (security.trustedKeys().isEmpty()) {
      return null;
    }
    TrustedKeys keys = TrustedKeys.read(security.trustedKeys().get());
    LOG.info("model versions must be signed by one of the trusted keys {}", keys.ids());
    return keys;
  }

  private static boolean resolveGpu(Device device) {
    if (device == Device.CPU) {
      return false;
    }
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    if (device == Device.GPU && gpus == 0) {
      throw new IllegalArgumentException("invalid setting device=gpu: no GPU is visible to libtorch (is the CUDA build of libtorch installed, "
          + "and is a GPU exposed to this container?)");
    }
    if (device == Device.AUTO) {
      LOG.info(gpus > 0 ? "device=auto: scoring on the GPU ({} visible to libtorch)" : "device=auto: scoring on the CPU ({} GPUs visible to libtorch)",
          gpus);
    }
    return gpus > 0;
  }

  /** Starts serving and following the registry. */
  public RecsysServer start() throws IOException {
    server.start();
    if (config.metricsPort() >= 0) {
      metricsPort = metrics.serve(config.host(), config.metricsPort());
    }
    if (config.healthPort() >= 0) {
      // Plaintext whatever the server port uses: the kubelet's gRPC probes cannot speak TLS. It
      // answers serving status only (the health service alone is registered).
      // Unauthenticated and plaintext, so as bounded as the server port: the reset-flood limit, the
      // metadata cap, and two threads of its own (health checks take microseconds).
      healthServer = bounded(NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.healthPort())), config)
          .maxInboundMessageSize(4 << 10)
          .executor(healthExecutor)
          .addService(health.getHealthService())
          .build()
          .start();
    }
    watcher.start();
    LOG.info("recsys-server listening on port {} (metrics on {}), model {} from {}, scoring on {}{}, calls on {}", port(), metricsPort,
        config.model(), registry.root(), device, config.batching() ? " in batches" : "",
        config.workerThreads() == 0 ? "a virtual thread each" : config.workerThreads() + " worker threads");
    return this;
  }

  public int port() {
    return server.getPort();
  }

  public int metricsPort() {
    return metricsPort;
  }

  /** The plaintext health port, or -1 when there is none. */
  public int healthPort() {
    return healthServer == null ? -1 : healthServer.getPort();
  }

  public ModelManager models() {
    return models;
  }

  public RegistryWatcher watcher() {
    return watcher;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** Drains and stops; idempotent. */
  public void shutdown(Duration drain) {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("calls still running after the {} drain; cancelling them", drain);
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    if (healthServer != null) {
      // After the drain (during it, probes read NOT_SERVING: the terminal state); closing the port
      // makes later probes fail to connect, which reads as not serving too.
      healthServer.shutdownNow();
    }
    healthExecutor.shutdownNow();
    watcher.close();
    models.clear();
    metrics.close();
    workers.shutdownNow();
    if (tls != null) {
      tls.close();
    }
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    shutdown(config.drainTimeout());
  }
}
