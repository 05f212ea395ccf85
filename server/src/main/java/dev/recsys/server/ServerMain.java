package dev.recsys.server;

import dev.recsys.models.console.Cli;
import dev.recsys.models.torchscript.NativeSettings;
import dev.recsys.server.config.Device;
import dev.recsys.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code recsys-server}: parses the settings, wires the server, runs until SIGTERM. */
@Command(name = "recsys-server", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Serves the promoted model version over gRPC and follows the registry for new versions."
        + " Every option can also be set through the RECSYS_* environment variable named in its description.")
public final class ServerMain implements Callable<Integer> {

  @Option(names = "--registry", defaultValue = "${env:RECSYS_REGISTRY:-registry}", description = "Registry folder (RECSYS_REGISTRY; default: ${DEFAULT-VALUE}).")
  Path registry;

  @Option(names = "--model", defaultValue = "${env:RECSYS_MODEL:-movielens}", description = "Model name (RECSYS_MODEL; default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--host", defaultValue = "${env:RECSYS_HOST:-0.0.0.0}", description = "Address to bind (RECSYS_HOST; default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "${env:RECSYS_PORT:-50051}", description = "gRPC port (RECSYS_PORT; default: ${DEFAULT-VALUE}).")
  String port;

  @Option(names = "--metrics-port", defaultValue = "${env:RECSYS_METRICS_PORT:-9091}", description = "Prometheus port, -1 to disable (RECSYS_METRICS_PORT; default: ${DEFAULT-VALUE}).")
  String metricsPort;

  @Option(names = "--health-port", defaultValue = "${env:RECSYS_HEALTH_PORT:--1}",
      description = "Plaintext port answering only grpc.health.v1, for probes that cannot speak TLS (Kubernetes' gRPC probes); -1 = off "
          + "(RECSYS_HEALTH_PORT; default: ${DEFAULT-VALUE}).")
  String healthPort;

  @Option(names = "--device", defaultValue = "${env:RECSYS_DEVICE:-auto}", description = "auto, cpu or gpu (RECSYS_DEVICE; default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--batching", defaultValue = "${env:RECSYS_BATCHING:-auto}",
      description = "Micro-batch scoring: auto (on for the GPU, through DJL), on (on the CPU: one pass of the Java kernel over the movies per "
          + "batch), off (RECSYS_BATCHING; default: ${DEFAULT-VALUE}).")
  String batching;

  @Option(names = "--graph-index", defaultValue = "${env:RECSYS_GRAPH_INDEX:-auto}",
      description = "Top-k through a version's graph index (HNSW) when it has one: auto (use it), off (always exact) (RECSYS_GRAPH_INDEX; default: ${DEFAULT-VALUE}).")
  String graphIndex;

  @Option(names = "--warm-up-ms", defaultValue = "${env:RECSYS_WARM_UP_MS:-0}",
      description = "Longest a loaded version is called on the loading thread before it serves, 0 = not at all (measured no gain on a loaded 2-core machine, docs/benchmarks.md) (RECSYS_WARM_UP_MS; default: ${DEFAULT-VALUE}).")
  String warmUpMillis;

  @Option(names = "--batch-size", defaultValue = "${env:RECSYS_BATCH_SIZE:-32}", description = "Largest scoring batch (RECSYS_BATCH_SIZE; default: ${DEFAULT-VALUE}).")
  String batchSize;

  @Option(names = "--batch-delay-us", defaultValue = "${env:RECSYS_BATCH_DELAY_US:-500}", description = "Longest wait for a batch to fill, in microseconds (RECSYS_BATCH_DELAY_US; default: ${DEFAULT-VALUE}).")
  String batchDelayMicros;

  @Option(names = "--max-concurrent-calls", defaultValue = "${env:RECSYS_MAX_CONCURRENT_CALLS:-4096}",
      description = "Calls admitted at once, queued or running; more are refused with RESOURCE_EXHAUSTED (RECSYS_MAX_CONCURRENT_CALLS; default: ${DEFAULT-VALUE}).")
  String maxConcurrentCalls;

  @Option(names = "--max-queue-ms", defaultValue = "${env:RECSYS_MAX_QUEUE_MS:-200}",
      description = "Longest a call may wait for a worker; older calls are refused with RESOURCE_EXHAUSTED (RECSYS_MAX_QUEUE_MS; default: ${DEFAULT-VALUE}).")
  String maxQueueMillis;

  @Option(names = "--max-call-ms", defaultValue = "${env:RECSYS_MAX_CALL_MS:-10000}",
      description = "Longest the server works on one Recommender call from its arrival, whatever the caller's deadline (none included): "
          + "title search and waits for a scoring batch stop there with DEADLINE_EXCEEDED (RECSYS_MAX_CALL_MS; default: ${DEFAULT-VALUE}).")
  String maxCallMillis;

  @Option(names = "--worker-threads", defaultValue = "${env:RECSYS_WORKER_THREADS:-0}", description = "Threads running calls, 0 = 2 per core; not used with batching on, where each call runs on a virtual thread of its own (RECSYS_WORKER_THREADS; default: ${DEFAULT-VALUE}).")
  String workerThreads;

  @Option(names = "--load-timeout-seconds", defaultValue = "${env:RECSYS_LOAD_TIMEOUT_SECONDS:-600}",
      description = "Longest the registry poll waits for one version to load; a slower load is reported as failed and abandoned "
          + "while the serving versions go on (RECSYS_LOAD_TIMEOUT_SECONDS; default: ${DEFAULT-VALUE}).")
  String loadTimeoutSeconds;

  @Option(names = "--load-nice", defaultValue = "${env:RECSYS_LOAD_NICE:-19}",
      description = "Linux nice value (0-19) of the threads loading versions: 19 lets serving threads win the CPU while a version loads beside "
          + "live traffic (the load takes longer); 0 loads at their priority (RECSYS_LOAD_NICE; default: ${DEFAULT-VALUE}).")
  String loadNice;

  @Option(names = "--poll-seconds", defaultValue = "${env:RECSYS_POLL_SECONDS:-2}", description = "Registry re-read interval (RECSYS_POLL_SECONDS; default: ${DEFAULT-VALUE}).")
  String pollSeconds;

  @Option(names = "--drain-seconds", defaultValue = "${env:RECSYS_DRAIN_SECONDS:-20}", description = "Shutdown drain deadline (RECSYS_DRAIN_SECONDS; default: ${DEFAULT-VALUE}).")
  String drainSeconds;

  @Option(names = "--max-message-bytes", defaultValue = "${env:RECSYS_MAX_MESSAGE_BYTES:-4194304}", description = "Largest request (RECSYS_MAX_MESSAGE_BYTES; default: ${DEFAULT-VALUE}).")
  String maxMessageBytes;

  @Option(names = "--max-metadata-bytes", defaultValue = "${env:RECSYS_MAX_METADATA_BYTES:-8192}", description = "Largest request metadata (RECSYS_MAX_METADATA_BYTES; default: ${DEFAULT-VALUE}).")
  String maxMetadataBytes;

  @Option(names = "--user-cache-size", defaultValue = "${env:RECSYS_USER_CACHE_SIZE:-100000}", description = "Vectors folded in from rating profiles cached; known users' vectors are read from the model (RECSYS_USER_CACHE_SIZE; default: ${DEFAULT-VALUE}).")
  String userCacheSize;

  @Option(names = "--result-cache-size", defaultValue = "${env:RECSYS_RESULT_CACHE_SIZE:-10000}", description = "Recommend results cached, 0 disables (RECSYS_RESULT_CACHE_SIZE; default: ${DEFAULT-VALUE}).")
  String resultCacheSize;

  @Option(names = "--result-cache-ttl-ms", defaultValue = "${env:RECSYS_RESULT_CACHE_TTL_MS:-2000}", description = "Result time to live, 0 disables (RECSYS_RESULT_CACHE_TTL_MS; default: ${DEFAULT-VALUE}).")
  String resultCacheTtlMillis;

  @Option(names = "--tls-cert", defaultValue = "${env:RECSYS_TLS_CERT}", description = "Server certificate chain, PEM (RECSYS_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:RECSYS_TLS_KEY}", description = "Server private key, PEM (RECSYS_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-client-ca", defaultValue = "${env:RECSYS_TLS_CLIENT_CA}", description = "CA of client certificates; enables mutual TLS (RECSYS_TLS_CLIENT_CA).")
  Path tlsClientCa;

  @Option(names = "--tls-require-client-cert", defaultValue = "${env:RECSYS_TLS_REQUIRE_CLIENT_CERT:-false}", arity = "0..1",
      fallbackValue = "true", description = "Refuse clients without a certificate (RECSYS_TLS_REQUIRE_CLIENT_CERT).")
  String requireClientCert;

  @Option(names = "--trusted-keys", defaultValue = "${env:RECSYS_TRUSTED_KEYS}",
      description = "Ed25519 public keys (PEM file, or folder of *.pub/*.pem) that model versions must be signed with; "
          + "unsigned versions and versions signed by other keys are refused (RECSYS_TRUSTED_KEYS).")
  Path trustedKeys;

  @Option(names = "--allow-plaintext-tokens", defaultValue = "${env:RECSYS_ALLOW_PLAINTEXT_TOKENS:-false}", arity = "0..1",
      fallbackValue = "true",
      description = "Accept bearer tokens without TLS, where anyone on the path can read them; refused otherwise (local use only; "
          + "RECSYS_ALLOW_PLAINTEXT_TOKENS).")
  String allowPlaintextTokens;

  @Option(names = "--admin-token-file", defaultValue = "${env:RECSYS_ADMIN_TOKEN_FILE}", description = "Bearer token required by ModelAdmin (RECSYS_ADMIN_TOKEN_FILE).")
  Path adminTokenFile;

  @Option(names = "--recommender-token-file", defaultValue = "${env:RECSYS_RECOMMENDER_TOKEN_FILE}", description = "Bearer token required by Recommender (RECSYS_RECOMMENDER_TOKEN_FILE).")
  Path recommenderTokenFile;

  @Option(names = "--admin-identities", defaultValue = "${env:RECSYS_ADMIN_IDENTITIES:-}", split = ";",
      description = "Client certificates allowed to call ModelAdmin, separated by ';': each a subject alternative name and the CA that "
          + "issued it, <dns|uri|email|ip>:<name>|<issuer DN>, e.g. 'uri:spiffe://example.org/mlops|CN=Ops CA,O=Example' (RECSYS_ADMIN_IDENTITIES).")
  List<String> adminIdentities;

  @Option(names = "--insecure-admin", defaultValue = "${env:RECSYS_INSECURE_ADMIN:-false}", arity = "0..1", fallbackValue = "true",
      description = "With no admin credential configured, let anyone promote and roll back (RECSYS_INSECURE_ADMIN; local use only).")
  String insecureAdmin;

  @Option(names = "--tls-reload-seconds", defaultValue = "${env:RECSYS_TLS_RELOAD_SECONDS:-60}",
      description = "How often certificate files are checked for changes (RECSYS_TLS_RELOAD_SECONDS; default: ${DEFAULT-VALUE}).")
  String tlsReloadSeconds;

  public static void main(String[] args) {
    // A server's own events (loads, swaps, failures) are worth a log line; libraries stay at WARN.
    setIfAbsent("org.slf4j.simpleLogger.log.dev.recsys", "info");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    NativeSettings.apply();
    int code = Cli.run(new ServerMain(), args);
    if (code != 0) {
      System.exit(code);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * The validated configuration of the parsed options (after {@code CommandLine.parseArgs}).
   *
   * @throws IllegalArgumentException naming the first invalid setting and its value
   */
  public ServerConfig config() {
    int cores = Runtime.getRuntime().availableProcessors();
    int workers = integer("worker-threads", workerThreads);
    Device d = Device.parse(device);
    boolean batched = switch (batching.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      case "auto" -> d == Device.GPU;
      default -> throw new IllegalArgumentException("invalid setting batching=" + batching + ": must be auto, on or off");
    };
    boolean graph = switch (graphIndex.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "auto", "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("invalid setting graph-index=" + graphIndex + ": must be auto or off");
    };
    int batch = integer("batch-size", batchSize);
    // With batching, calls run on virtual threads (ServerConfig#workerThreads): no pool to size.
    int defaultWorkers = batched ? 0 : 2 * cores;
    return new ServerConfig(
        registry, model, host, integer("port", port), integer("metrics-port", metricsPort), integer("health-port", healthPort), d, batched, graph, Duration.ofMillis(integer("warm-up-ms", warmUpMillis)),
        batch, Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(integer("batch-delay-us", batchDelayMicros))),
        integer("max-concurrent-calls", maxConcurrentCalls),
        Duration.ofMillis(integer("max-queue-ms", maxQueueMillis)), Duration.ofMillis(integer("max-call-ms", maxCallMillis)), workers == 0 ? defaultWorkers : workers,
        Duration.ofMillis((long) (decimal("poll-seconds", pollSeconds) * 1000)),
        Duration.ofMillis((long) (decimal("load-timeout-seconds", loadTimeoutSeconds) * 1000)), integer("load-nice", loadNice),
        Duration.ofSeconds(integer("drain-seconds", drainSeconds)),
        integer("max-message-bytes", maxMessageBytes), integer("max-metadata-bytes", maxMetadataBytes),
        integer("user-cache-size", userCacheSize), integer("result-cache-size", resultCacheSize),
        Duration.ofMillis(integer("result-cache-ttl-ms", resultCacheTtlMillis)),
        new ServerConfig.Security(Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey), Optional.ofNullable(tlsClientCa),
            bool("tls-require-client-cert", requireClientCert), Optional.ofNullable(adminTokenFile), Optional.ofNullable(recommenderTokenFile),
            adminIdentities == null ? List.of() : adminIdentities.stream().map(String::strip).filter(s -> !s.isEmpty()).toList(),
            bool("insecure-admin", insecureAdmin), Duration.ofMillis((long) (decimal("tls-reload-seconds", tlsReloadSeconds) * 1000)),
            Optional.ofNullable(trustedKeys), bool("allow-plaintext-tokens", allowPlaintextTokens)))
        .validate();
  }

  private static int integer(String setting, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid setting " + setting + "=" + value + ": not an integer");
    }
  }

  private static boolean bool(String setting, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0", "" -> false;
      default -> throw new IllegalArgumentException("invalid setting " + setting + "=" + value + ": must be true or false");
    };
  }

  private static double decimal(String setting, String value) {
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid setting " + setting + "=" + value + ": not a number");
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = config();
    RecsysServer server = RecsysServer.onNetty(config, Clock.systemUTC(), List.of()).start();
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> server.shutdown(config.drainTimeout())));
    System.out.println("recsys-server: gRPC" + (config.security().tls() ? " (TLS)" : "") + " on " + config.host() + ":" + server.port()
        + ", metrics on port " + server.metricsPort());
    server.awaitTermination();
    return 0;
  }
}
