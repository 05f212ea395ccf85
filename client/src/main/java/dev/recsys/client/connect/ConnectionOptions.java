package dev.recsys.client.connect;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import dev.recsys.models.io.SecretFile;
import io.grpc.TlsChannelCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Where and how to connect; a picocli mixin shared by every command. */
public final class ConnectionOptions {

  @Option(names = "--target", defaultValue = "${env:RECSYS_TARGET:-localhost:50051}",
      description = "Server address host:port (RECSYS_TARGET; default: ${DEFAULT-VALUE}).")
  public String target;

  @Option(names = "--deadline-ms", defaultValue = "5000", description = "Deadline of each call (default: ${DEFAULT-VALUE} ms).")
  public long deadlineMillis;

  @Option(names = "--tls", description = "Use TLS (implied by --ca-cert or --client-cert).")
  public boolean tls;

  @Option(names = "--ca-cert", defaultValue = "${env:RECSYS_CA_CERT}", description = "CA bundle to trust, PEM (RECSYS_CA_CERT; default: the system's).")
  public Path caCert;

  @Option(names = "--client-cert", defaultValue = "${env:RECSYS_CLIENT_CERT}", description = "Client certificate for mutual TLS, PEM (RECSYS_CLIENT_CERT).")
  public Path clientCert;

  @Option(names = "--client-key", defaultValue = "${env:RECSYS_CLIENT_KEY}", description = "Client private key for mutual TLS, PEM (RECSYS_CLIENT_KEY).")
  public Path clientKey;

  @Option(names = "--token-file", defaultValue = "${env:RECSYS_TOKEN_FILE}",
      description = "File holding a bearer token to send, re-read when it changes (RECSYS_TOKEN_FILE).")
  public Path tokenFile;

  @Option(names = "--authority", description = "Server name to verify in its certificate when it differs from the target's host.")
  public String authority;

  /** Certificate files are re-read this often while a long run (load, shell) goes on. */
  private static final long TLS_RELOAD_SECONDS = 60;

  /** One daemon thread re-reads certificate files for every channel of the process. */
  private static final class Reloader {
    static final ScheduledExecutorService EXECUTOR =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tls-reload").daemon().factory());
  }

  public Duration deadline() {
    if (deadlineMillis <= 0) {
      throw new IllegalArgumentException("--deadline-ms must be > 0, got " + deadlineMillis);
    }
    return Duration.ofMillis(deadlineMillis);
  }

  /** Reads the client's certificate chain and key (PKCS#8, PKCS#1 or SEC1), checks they are a pair, and installs them. */
  private static void loadIdentity(AdvancedTlsX509KeyManager keys, Path cert, Path key) throws IOException {
    dev.recsys.models.tls.PemPrivateKeys.Identity identity = dev.recsys.models.tls.PemPrivateKeys.readIdentity(cert, key);
    keys.updateIdentityCredentials(identity.chain(), identity.key());
  }

  /** The files' change stamp, or the reason it could not be read (a missing file is a change too, and is reported once). */
  private static Object stamp(List<Path> files) {
    try {
      return dev.recsys.models.tls.PemPrivateKeys.changeStamp(files);
    } catch (IOException e) {
      return dev.recsys.models.console.Messages.describe(e);
    }
  }

  /** A channel to the target with the chosen security. */
  public ManagedChannel channel() throws IOException {
    ChannelCredentials credentials;
    if (tls || caCert != null || clientCert != null) {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      if (caCert != null) {
        AdvancedTlsX509TrustManager trust;
        try {
          trust = AdvancedTlsX509TrustManager.newBuilder()
              .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION)
              .build();
          trust.updateTrustCredentials(caCert.toFile(), TLS_RELOAD_SECONDS, TimeUnit.SECONDS, Reloader.EXECUTOR);
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new IOException("cannot load the CA bundle " + caCert + ": " + e.getMessage(), e);
        }
        b.trustManager(trust);
      }
      if (clientCert != null || clientKey != null) {
        if (clientCert == null || clientKey == null) {
          throw new IllegalArgumentException("--client-cert and --client-key go together");
        }
        AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
        Path cert = clientCert;
        Path key = clientKey;
        loadIdentity(keys, cert, key);
        // Re-read on a schedule, as gRPC's own file reloading would, but only when a file changed
        // (a stat each, not a signature check, per period and channel); a failed re-read (files
        // caught half-renewed) keeps the pair in use. Read here because gRPC reads PKCS#8 keys only.
        List<Path> files = List.of(cert, key);
        Object[] seen = {stamp(files)};
        Reloader.EXECUTOR.scheduleWithFixedDelay(() -> {
          Object now = stamp(files);
          if (now.equals(seen[0])) {
            return;
          }
          seen[0] = now;
          try {
            loadIdentity(keys, cert, key);
          } catch (IOException | RuntimeException e) {
            System.err.println("client certificate " + cert + " or key " + key + " changed but cannot be used ("
                + dev.recsys.models.console.Messages.describe(e) + "); the previous pair stays in use");
          }
        }, TLS_RELOAD_SECONDS, TLS_RELOAD_SECONDS, TimeUnit.SECONDS);
        b.keyManager(keys);
      }
      credentials = b.build();
    } else {
      credentials = InsecureChannelCredentials.create();
    }
    // Callbacks of asynchronous calls run on the transport's thread instead of being handed to a
    // pool thread: the only asynchronous caller is the load generator, whose callbacks record a
    // latency and issue the next call (sub-microsecond, never blocking), and a handoff per call
    // costs a thread wake-up on the cores the server under test shares (blocking stubs run their
    // callbacks on the calling thread either way).
    var builder = Grpc.newChannelBuilder(target, credentials).maxInboundMessageSize(16 << 20).directExecutor();
    if (authority != null) {
      builder.overrideAuthority(authority);
    }
    return builder.build();
  }

  /** The bearer token as call credentials (re-read when its file changes), or null when none is configured. */
  public CallCredentials credentials() throws IOException {
    return tokenFile == null ? null : new BearerToken(SecretFile.open(tokenFile));
  }

  /** Sends {@code authorization: Bearer <token>} with every call. */
  static final class BearerToken extends CallCredentials {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final SecretFile token;

    BearerToken(SecretFile token) {
      this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token.value());
      applier.apply(headers);
    }
  }
}
