package dev.recsys.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of the server. Immutable; {@link #validate()} is called once at start-up and names
 * the setting and the bad value.
 *
 * @param registry the model registry folder
 * @param model the model name in the registry
 * @param host address to bind
 * @param port gRPC port (0 picks a free one)
 * @param metricsPort Prometheus HTTP port (0 picks a free one, -1 disables)
 * @param healthPort a plaintext port answering only {@code grpc.health.v1} (0 picks a free one, -1
 *     disables): Kubernetes' built-in gRPC probes cannot speak TLS, so with TLS on the server port
 *     they need this one; it tells nothing but serving status
 * @param device where scoring runs
 * @param batching whether embedding scoring goes through the micro-batcher: on the GPU, one DJL
 *     matrix product per batch; on the CPU, one pass of the Java kernel over the movies per batch
 * @param graphIndex search a version's graph index for the top-k when it carries one (catalogues from
 *     the trainer's {@code --ann-min-movies} up); false scores every movie exactly
 * @param warmUp longest a loaded version is called, on the loading thread, before it may serve (its
 *     code paths compiled and its memory paged in before callers pay for them); zero: not at all
 * @param batchSize most requests scored together
 * @param maxBatchDelay longest a request waits for others to join its batch
 * @param maxConcurrentCalls calls admitted at once (queued or running); beyond it, RESOURCE_EXHAUSTED
 *     at once. A bound on memory; {@code maxQueueWait} is the bound on latency
 * @param maxQueueWait longest a call may wait for a worker thread; one that waited longer is
 *     refused with RESOURCE_EXHAUSTED instead of run (its caller is better served by a retry
 *     elsewhere), which keeps the latency of admitted calls bounded under overload
 * @param maxCallTime longest the server works on one {@code Recommender} call, counted from its
 *     arrival (its wait for a worker included): a caller's deadline further away, or none, is
 *     shortened to it for the work that checks deadlines (approximate title search, waiting for a
 *     scoring batch), and a call stopped by it ends with DEADLINE_EXCEEDED naming this setting. A
 *     caller that sends no deadline cannot hold a worker longer than this
 * @param workerThreads platform threads running calls; 0 with batching on, where each call runs on a
 *     virtual thread of its own (a caller waiting for its batch then holds no thread that another
 *     call could use, so batches fill to {@code batchSize} whatever the number of callers)
 * @param pollInterval how often the registry's aliases are re-read (file events may be missed on
 *     network filesystems)
 * @param loadTimeout longest the registry poll waits for one version to load; a load that takes
 *     longer is reported as failed and abandoned (the serving versions are unaffected)
 * @param loadNice the Linux nice value of the threads loading versions: 19 (lowest priority) lets
 *     serving threads win the CPU while a version loads beside live traffic; 0 loads at their priority
 * @param drainTimeout how long a shutdown waits for calls in flight
 * @param maxInboundMessageBytes largest request accepted
 * @param maxInboundMetadataBytes largest request metadata accepted
 * @param userCacheSize vectors folded in from rating profiles kept in the cache (known users' are read from the model)
 * @param resultCacheSize recommendation results of typical size kept for hot users (0 disables): the
 *     cache holds at most this many times 4 KiB of answers, a large answer counting for more
 * @param resultCacheTtl how long a cached result is served
 * @param security TLS and authorisation settings
 */
public record ServerConfig(
    Path registry,
    String model,
    String host,
    int port,
    int metricsPort,
    int healthPort,
    Device device,
    boolean batching,
    boolean graphIndex,
    Duration warmUp,
    int batchSize,
    Duration maxBatchDelay,
    int maxConcurrentCalls,
    Duration maxQueueWait,
    Duration maxCallTime,
    int workerThreads,
    Duration pollInterval,
    Duration loadTimeout,
    int loadNice,
    Duration drainTimeout,
    int maxInboundMessageBytes,
    int maxInboundMetadataBytes,
    long userCacheSize,
    long resultCacheSize,
    Duration resultCacheTtl,
    Security security) {

  /**
   * TLS and authorisation.
   *
   * @param certChain server certificate chain (PEM), or empty for plaintext
   * @param privateKey server private key (PEM)
   * @param clientCa CA bundle that client certificates must chain to (enables mutual TLS)
   * @param requireClientCert whether a client certificate is required (mutual TLS)
   * @param adminTokenFile file holding the bearer token that ModelAdmin calls must present
   * @param recommenderTokenFile file holding the bearer token Recommender calls must present
   * @param adminIdentities client certificates allowed to change models, as {@link dev.recsys.server.security.AdminIdentity} texts
   * @param insecureAdmin with no admin credential configured, let anyone change models (local use
   *     and tests only; otherwise such calls are refused)
   * @param tlsReloadInterval how often certificate files are checked for changes
   * @param trustedKeys Ed25519 public keys (a PEM file, or a folder of {@code *.pub}/{@code *.pem})
   *     that model versions must be signed with; empty: signatures are not required
   * @param allowPlaintextTokens accept bearer tokens on a listener without TLS, where anyone on the
   *     path can read them (local use only; refused otherwise)
   */
  public record Security(
      Optional<Path> certChain,
      Optional<Path> privateKey,
      Optional<Path> clientCa,
      boolean requireClientCert,
      Optional<Path> adminTokenFile,
      Optional<Path> recommenderTokenFile,
      java.util.List<String> adminIdentities,
      boolean insecureAdmin,
      Duration tlsReloadInterval,
      Optional<Path> trustedKeys,
      boolean allowPlaintextTokens) {

    /** Without version signatures. */
    public Security(Optional<Path> certChain, Optional<Path> privateKey, Optional<Path> clientCa, boolean requireClientCert,
        Optional<Path> adminTokenFile, Optional<Path> recommenderTokenFile, java.util.List<String> adminIdentities, boolean insecureAdmin,
        Duration tlsReloadInterval) {
      this(certChain, privateKey, clientCa, requireClientCert, adminTokenFile, recommenderTokenFile, adminIdentities, insecureAdmin,
          tlsReloadInterval, Optional.empty(), false);
    }

    /** Plaintext, no credentials, and anyone may change models: for tests and a laptop only. */
    public static Security none() {
      return new Security(Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(),
          java.util.List.of(), true, Duration.ofMinutes(1));
    }

    /** These settings, requiring versions signed by the keys in {@code keys}. */
    public Security withTrustedKeys(Path keys) {
      return new Security(certChain, privateKey, clientCa, requireClientCert, adminTokenFile, recommenderTokenFile, adminIdentities,
          insecureAdmin, tlsReloadInterval, Optional.of(keys), allowPlaintextTokens);
    }

    /** These settings, accepting bearer tokens without TLS (tests and a laptop). */
    public Security withPlaintextTokensAllowed() {
      return new Security(certChain, privateKey, clientCa, requireClientCert, adminTokenFile, recommenderTokenFile, adminIdentities,
          insecureAdmin, tlsReloadInterval, trustedKeys, true);
    }

    /** Whether any bearer token is configured. */
    public boolean tokens() {
      return adminTokenFile.isPresent() || recommenderTokenFile.isPresent();
    }

    public boolean tls() {
      return certChain.isPresent();
    }
  }

  /** This configuration with other security settings. */
  public ServerConfig withSecurity(Security other) {
    return new ServerConfig(registry, model, host, port, metricsPort, healthPort, device, batching, graphIndex, warmUp, batchSize, maxBatchDelay, maxConcurrentCalls,
        maxQueueWait, maxCallTime, workerThreads, pollInterval, loadTimeout, loadNice, drainTimeout, maxInboundMessageBytes, maxInboundMetadataBytes, userCacheSize, resultCacheSize,
        resultCacheTtl, other);
  }

  /** Throws {@link IllegalArgumentException} naming the first invalid setting. */
  public ServerConfig validate() {
    require(registry != null, "registry", registry, "is required");
    require(model != null && model.matches("[a-z0-9][a-z0-9._-]{0,62}"), "model", model, "must match [a-z0-9][a-z0-9._-]{0,62}");
    require(port >= 0 && port <= 65535, "port", port, "must be in [0, 65535]");
    require(metricsPort >= -1 && metricsPort <= 65535, "metrics-port", metricsPort, "must be in [-1, 65535]");
    require(port == 0 || metricsPort != port, "metrics-port", metricsPort, "must differ from the gRPC port");
    require(healthPort >= -1 && healthPort <= 65535, "health-port", healthPort, "must be in [-1, 65535]");
    require(healthPort <= 0 || healthPort != port && healthPort != metricsPort, "health-port", healthPort,
        "must differ from the gRPC and metrics ports");
    require(batchSize >= 1 && batchSize <= 4096, "batch-size", batchSize, "must be in [1, 4096]");
    require(!maxBatchDelay.isNegative() && maxBatchDelay.toMillis() <= 100, "batch-delay", maxBatchDelay, "must be in [0, 100 ms]");
    require(maxConcurrentCalls >= 1 && maxConcurrentCalls <= 100_000, "max-concurrent-calls", maxConcurrentCalls, "must be in [1, 100000]");
    require(maxQueueWait.toMillis() >= 1 && maxQueueWait.toMillis() <= 60_000, "max-queue-ms", maxQueueWait.toMillis(), "must be in [1, 60000]");
    require(maxCallTime.toMillis() >= 1 && maxCallTime.toMillis() <= 600_000, "max-call-ms", maxCallTime.toMillis(), "must be in [1, 600000]");
    require(batching || workerThreads >= 1 && workerThreads <= 1024, "worker-threads", workerThreads, "must be in [1, 1024]");
    require(!batching || workerThreads == 0, "worker-threads", workerThreads,
        "is not used with batching on: each call runs on a virtual thread of its own, so a caller waiting for its batch holds no "
            + "worker and no batch is capped by the pool; leave it unset (0)");
    require(!warmUp.isNegative() && warmUp.compareTo(loadTimeout) < 0 && warmUp.toSeconds() <= 60, "warm-up-ms", warmUp.toMillis(),
        "must be in [0, 60000] and below load-timeout-seconds");
    require(pollInterval.toMillis() >= 100 && pollInterval.toMinutes() <= 60, "poll-interval", pollInterval, "must be in [100 ms, 60 min]");
    require(loadNice >= 0 && loadNice <= 19, "load-nice", loadNice, "must be in [0, 19]");
    require(!drainTimeout.isNegative() && drainTimeout.toMinutes() <= 10, "drain-timeout", drainTimeout, "must be in [0, 10 min]");
    require(loadTimeout.toMillis() >= 100 && loadTimeout.toHours() <= 6, "load-timeout-seconds", loadTimeout.toMillis() / 1000.0,
        "must be in [0.1, 21600]");
    require(maxInboundMessageBytes >= 1024 && maxInboundMessageBytes <= 256 << 20, "max-message-bytes", maxInboundMessageBytes, "must be in [1 KiB, 256 MiB]");
    require(maxInboundMetadataBytes >= 1024 && maxInboundMetadataBytes <= 1 << 20, "max-metadata-bytes", maxInboundMetadataBytes, "must be in [1 KiB, 1 MiB]");
    require(userCacheSize >= 0, "user-cache-size", userCacheSize, "must be >= 0");
    require(resultCacheSize >= 0, "result-cache-size", resultCacheSize, "must be >= 0");
    require(!resultCacheTtl.isNegative(), "result-cache-ttl", resultCacheTtl, "must be >= 0");
    require(!security.tokens() || security.tls() || security.allowPlaintextTokens(), "admin-token-file/recommender-token-file",
        security.adminTokenFile().or(security::recommenderTokenFile).orElse(null),
        "needs TLS (--tls-cert, --tls-key): a bearer token sent in plaintext can be read by anyone on the path; "
            + "--allow-plaintext-tokens accepts that (local use only)");
    require(security.certChain().isPresent() == security.privateKey().isPresent(), "tls-cert/tls-key", security.certChain(),
        "must be given together");
    require(security.tls() || security.clientCa().isEmpty(), "tls-client-ca", security.clientCa(), "needs tls-cert and tls-key");
    require(!security.requireClientCert() || security.clientCa().isPresent(), "tls-require-client-cert", true, "needs tls-client-ca");
    require(security.adminIdentities().isEmpty() || security.clientCa().isPresent(), "admin-identities", security.adminIdentities(),
        "needs tls-client-ca (identities come from verified client certificates)");
    // Malformed identities are refused now, by name (AdminIdentity.parse throws naming the value).
    security.adminIdentities().forEach(dev.recsys.server.security.AdminIdentity::parse);
    require(security.tlsReloadInterval().toMillis() >= 100 && security.tlsReloadInterval().toHours() <= 24, "tls-reload-seconds",
        security.tlsReloadInterval().toSeconds(), "must be in [0.1 s, 24 h]");
    return this;
  }

  private static void require(boolean ok, String setting, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting " + setting + "=" + value + ": " + rule);
    }
  }
}
