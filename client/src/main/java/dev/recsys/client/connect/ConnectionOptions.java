package dev.recsys.client.connect;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
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

  @Option(names = "--token-file", defaultValue = "${env:RECSYS_TOKEN_FILE}", description = "File holding a bearer token to send (RECSYS_TOKEN_FILE).")
  public Path tokenFile;

  public Duration deadline() {
    if (deadlineMillis <= 0) {
      throw new IllegalArgumentException("--deadline-ms must be > 0, got " + deadlineMillis);
    }
    return Duration.ofMillis(deadlineMillis);
  }

  /** A channel to the target with the chosen security. */
  public ManagedChannel channel() throws IOException {
    ChannelCredentials credentials;
    if (tls || caCert != null || clientCert != null) {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      if (caCert != null) {
        b.trustManager(caCert.toFile());
      }
      if (clientCert != null || clientKey != null) {
        if (clientCert == null || clientKey == null) {
          throw new IllegalArgumentException("--client-cert and --client-key go together");
        }
        b.keyManager(clientCert.toFile(), clientKey.toFile());
      }
      credentials = b.build();
    } else {
      credentials = InsecureChannelCredentials.create();
    }
    return Grpc.newChannelBuilder(target, credentials).maxInboundMessageSize(16 << 20).build();
  }

  /** The bearer token as call credentials, or null when none is configured. */
  public CallCredentials credentials() throws IOException {
    if (tokenFile == null) {
      return null;
    }
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token file " + tokenFile + " is empty");
    }
    return new BearerToken(token);
  }

  /** Sends {@code authorization: Bearer <token>} with every call. */
  static final class BearerToken extends CallCredentials {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final String token;

    BearerToken(String token) {
      this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token);
      applier.apply(headers);
    }
  }
}
