package dev.recsys.server.security;

import dev.recsys.models.tls.PemPrivateKeys;
import dev.recsys.server.config.ServerConfig;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's transport credentials: plaintext, TLS, or mutual TLS.
 *
 * <p>The certificate chain, key and client CA are read at start (a bad file stops the start, its
 * path in the message). While serving, their modification times and sizes are checked every
 * {@code tlsReloadInterval}; when any changed, the files are read again and new connections get the
 * new material (cert-manager renewals, rotated Kubernetes secrets) without a restart. A change that
 * cannot be read or parsed (a rotation caught half-way) is logged and the previous material stays.
 * gRPC's own file-reloading helpers are not used: they enforce a one-minute minimum period and
 * reload only when both files changed.
 */
public final class ServerTls implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

  private final ServerCredentials credentials;
  private final ScheduledExecutorService reloader;

  private ServerTls(ServerCredentials credentials, ScheduledExecutorService reloader) {
    this.credentials = credentials;
    this.reloader = reloader;
  }

  /** Credentials for the configured security; plaintext when no certificate is configured. */
  public static ServerTls load(ServerConfig.Security security) throws IOException {
    if (!security.tls()) {
      return new ServerTls(InsecureServerCredentials.create(), null);
    }
    AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    Optional<AdvancedTlsX509TrustManager> trust = Optional.empty();
    if (security.clientCa().isPresent()) {
      try {
        trust = Optional.of(AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build());
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot set up client certificate verification: " + e.getMessage(), e);
      }
    }
    Material material = new Material(security.certChain().orElseThrow(), security.privateKey().orElseThrow(), security.clientCa(), keys, trust);
    material.load();
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keys);
    trust.ifPresent(t -> builder.trustManager(t).clientAuth(security.requireClientCert()
        ? TlsServerCredentials.ClientAuth.REQUIRE
        : TlsServerCredentials.ClientAuth.OPTIONAL));
    ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("tls-reload").daemon().factory());
    long period = security.tlsReloadInterval().toMillis();
    reloader.scheduleWithFixedDelay(material::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
    return new ServerTls(builder.build(), reloader);
  }

  public ServerCredentials credentials() {
    return credentials;
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }

  /** The files, what was last read from them, and the managers that hand it to new handshakes. */
  private static final class Material {
    private final Path cert;
    private final Path key;
    private final Optional<Path> ca;
    private final AdvancedTlsX509KeyManager keys;
    private final Optional<AdvancedTlsX509TrustManager> trust;
    private List<Object> stamp = List.of();

    Material(Path cert, Path key, Optional<Path> ca, AdvancedTlsX509KeyManager keys, Optional<AdvancedTlsX509TrustManager> trust) {
      this.cert = cert;
      this.key = key;
      this.ca = ca;
      this.keys = keys;
      this.trust = trust;
    }

    /** Reads every file and installs the result; messages name the file, never its content. */
    void load() throws IOException {
      List<Object> now = stamp();
      // The key in PKCS#8, or PKCS#1/SEC1 as OpenSSL and cert-manager write by default (gRPC reads
      // PKCS#8 only); a real pair, not merely two keys of one algorithm: a mismatch (a certificate
      // renewed and its key not yet, on a reload) would install material that completes no handshake.
      PemPrivateKeys.Identity identity = PemPrivateKeys.readIdentity(cert, key);
      X509Certificate[] authorities = ca.isPresent() ? read(ca.get(), "client CA", CertificateUtils::getX509Certificates) : null;
      keys.updateIdentityCredentials(identity.chain(), identity.key());
      if (authorities != null) {
        try {
          trust.orElseThrow().updateTrustCredentials(authorities);
        } catch (GeneralSecurityException e) {
          throw new IOException("cannot use the client CA " + ca.get() + ": " + e.getMessage(), e);
        }
      }
      stamp = now;
    }

    void reloadIfChanged() {
      try {
        if (stamp().equals(stamp)) {
          return;
        }
        load();
        LOG.info("TLS material re-read from {}", cert);
      } catch (IOException | RuntimeException e) {
        LOG.warn("TLS files changed but could not be used; keeping the previous certificate: {}", e.getMessage());
      }
    }

    private List<Object> stamp() throws IOException {
      return PemPrivateKeys.changeStamp(ca.isPresent() ? List.of(cert, key, ca.get()) : List.of(cert, key));
    }

    private interface Parser<T> {
      T parse(InputStream in) throws IOException, GeneralSecurityException;
    }

    private static <T> T read(Path file, String what, Parser<T> parser) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        return Objects.requireNonNull(parser.parse(in), what);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        // The parsers' messages describe the format problem, not the bytes.
        throw new IOException("cannot load the " + what + " " + file + ": " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
      }
    }
  }
}
