package dev.recsys.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.proto.v1.ListModelsRequest;
import dev.recsys.proto.v1.ModelAdminGrpc;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommenderGrpc;
import dev.recsys.server.config.ServerConfig;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TestPki;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS, mutual TLS and authorisation on a real port: who can connect, who can read, who can change
 * models, what the refusals say (never a secret), and certificate and token rotation while serving.
 */
class SecurityTest {

  static final String ADMIN_TOKEN = "s3cret-admin-token-0123456789";
  static final String READ_TOKEN = "reader-token-abcdef";

  @TempDir Path dir;
  Path registry;
  TestPki pki;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    pki = TestPki.create(dir.resolve("pki"), "recsys-test");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private ServerFixture start(ServerConfig.Security security) throws Exception {
    ServerFixture f = ServerFixture.onPort(ServerFixture.config(registry, -1, false, 64).withSecurity(security), List.of());
    open.add(f);
    return f.awaitServing(1);
  }

  private static ServerConfig.Security security(TestPki.Issued server, Path clientCa, boolean requireClientCert, Path adminToken,
      Path readToken, List<String> adminIdentities, Duration reload) {
    ServerConfig.Security security = new ServerConfig.Security(Optional.ofNullable(server).map(TestPki.Issued::cert),
        Optional.ofNullable(server).map(TestPki.Issued::key), Optional.ofNullable(clientCa), requireClientCert, Optional.ofNullable(adminToken),
        Optional.ofNullable(readToken), adminIdentities, false, reload);
    // Tokens over plaintext are refused unless allowed (see tokensWithoutTls_areRefusedAtStart_unlessAllowed).
    return server == null ? security.withPlaintextTokensAllowed() : security;
  }

  @Test
  void tokensWithoutTls_areRefusedAtStart_unlessAllowed() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("plaintext-registry"));
    ServerConfig base = ServerFixture.config(registry, -1, false, 64);
    ServerConfig.Security plain = new ServerConfig.Security(Optional.empty(), Optional.empty(), Optional.empty(), false,
        Optional.of(tokenFile("plain-admin-token", ADMIN_TOKEN)), Optional.empty(), List.of(), false, Duration.ofMinutes(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.withSecurity(plain).validate());
    assertTrue(e.getMessage().contains("needs TLS") && e.getMessage().contains("--allow-plaintext-tokens"), e.getMessage());
    assertFalse(e.getMessage().contains(ADMIN_TOKEN), "the token itself is never in a message");
    base.withSecurity(plain.withPlaintextTokensAllowed()).validate();
  }

  private ManagedChannel tlsChannel(int port, Path trusted, TestPki.Issued clientCert) throws IOException {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    if (trusted != null) {
      b.trustManager(trusted.toFile());
    }
    if (clientCert != null) {
      b.keyManager(clientCert.cert().toFile(), clientCert.key().toFile());
    }
    return channel(port, b.build());
  }

  private ManagedChannel channel(int port, ChannelCredentials credentials) {
    ManagedChannel c = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    open.add(() -> c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return c;
  }

  private static RecommenderGrpc.RecommenderBlockingStub recommender(ManagedChannel c, String token) {
    var stub = RecommenderGrpc.newBlockingStub(c).withDeadlineAfter(20, TimeUnit.SECONDS);
    return token == null ? stub : stub.withCallCredentials(bearer("Bearer " + token));
  }

  private static ModelAdminGrpc.ModelAdminBlockingStub admin(ManagedChannel c, String authorization) {
    var stub = ModelAdminGrpc.newBlockingStub(c).withDeadlineAfter(20, TimeUnit.SECONDS);
    return authorization == null ? stub : stub.withCallCredentials(bearer(authorization));
  }

  static CallCredentials bearer(String headerValue) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(Authorization.AUTHORIZATION, headerValue);
        applier.apply(m);
      }
    };
  }

  private Path tokenFile(String name, String token) throws IOException {
    return Files.writeString(dir.resolve(name), token + "\n");
  }

  private static final RecommendRequest RECOMMEND = RecommendRequest.newBuilder().setUserId(5).setK(3).build();

  private static PromoteRequest promote(long version) {
    return PromoteRequest.newBuilder().setAlias("production").setVersion(version).setReason("test").build();
  }

  private static Status.Code code(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  @Test
  void tls_trustedClientsConnect_othersAreRefusedAtTheHandshake() throws Exception {
    TestPki.Issued cert = pki.server("CN=localhost", "server");
    ServerFixture f = start(security(cert, null, false, null, null, List.of(), Duration.ofMinutes(1)));

    assertEquals(3, recommender(tlsChannel(f.server.port(), pki.caFile(), null), null).recommend(RECOMMEND).getMoviesCount());
    // A client that does not trust the CA, and a plaintext client, get nowhere.
    ManagedChannel distrustful = tlsChannel(f.server.port(), null, null);
    assertEquals(Status.Code.UNAVAILABLE, code(() -> recommender(distrustful, null).recommend(RECOMMEND)));
    assertEquals(Status.Code.UNAVAILABLE, code(() -> recommender(f.channel, null).recommend(RECOMMEND)));
  }

  /**
   * Kubernetes' gRPC probes cannot speak TLS: with TLS on the server port, the health port answers
   * them in plaintext, health only; "liveness" is SERVING before any version loads (a server waiting
   * for its first version must not be restarted), the API's readiness only once one serves.
   */
  @Test
  void tls_theHealthPortAnswersProbesInPlaintext_livenessBeforeAVersionLoads_andNothingElse() throws Exception {
    TestPki.Issued cert = pki.server("CN=localhost", "server");
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-registry"));
    ServerConfig config = ServerFixture.healthPort(empty, 0).withSecurity(security(cert, null, false, null, null, List.of(), Duration.ofMinutes(1)));
    ServerFixture f = ServerFixture.onPort(config, List.of());
    open.add(f);
    ManagedChannel probe = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", f.server.healthPort()).usePlaintext().build();
    open.add(probe::shutdownNow);
    var health = io.grpc.health.v1.HealthGrpc.newBlockingStub(probe).withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
    java.util.function.Function<String, io.grpc.health.v1.HealthCheckResponse.ServingStatus> check =
        name -> health.check(io.grpc.health.v1.HealthCheckRequest.newBuilder().setService(name).build()).getStatus();
    assertEquals(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING, check.apply("liveness"));
    assertEquals(io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING, check.apply("recsys.v1.Recommender"), "no version yet");
    // Only the health service: the API is not reachable in plaintext through this port.
    assertEquals(Status.Code.UNIMPLEMENTED, code(() -> recommender(probe, null).recommend(RECOMMEND)));
    // The server port itself stays TLS only.
    assertEquals(Status.Code.UNAVAILABLE, code(() -> io.grpc.health.v1.HealthGrpc.newBlockingStub(f.channel)
        .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS).check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance())));
  }

  @Test
  void mutualTls_requiresACertificateFromTheClientCas_andOnlyTheAdminIdentitysIssuerGrantsModelChanges() throws Exception {
    TestPki.Issued cert = pki.server("CN=localhost", "server");
    String spiffe = "spiffe://recsys.test/mlops";
    TestPki.Issued mlops = pki.client("CN=mlops,O=recsys", "mlops", spiffe);
    TestPki.Issued viewer = pki.client("CN=viewer,O=recsys", "viewer", "spiffe://recsys.test/viewer");
    // A second CA in the client bundle (a partner's): its certificates authenticate, and it can
    // issue the very same subject and alternative name, but the identity pins the first CA.
    TestPki partner = TestPki.create(dir.resolve("partner"), "partner");
    TestPki.Issued lookalike = partner.client("CN=mlops,O=recsys", "lookalike", spiffe);
    TestPki stranger = TestPki.create(dir.resolve("other"), "elsewhere");
    TestPki.Issued outsider = stranger.client("CN=mlops,O=recsys", "outsider", spiffe);
    Path bundle = dir.resolve("client-cas.pem");
    Files.writeString(bundle, Files.readString(pki.caFile()) + Files.readString(partner.caFile()));
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    // Spaces in the configured issuer do not matter: names compare as X.500 names.
    String identity = "uri:" + spiffe + "|" + pki.caSubject().replace(",", ", ");
    ServerFixture f = start(security(cert, bundle, true, null, null, List.of(identity), Duration.ofMinutes(1)));
    int port = f.server.port();

    ManagedChannel anonymous = tlsChannel(port, pki.caFile(), null);
    ManagedChannel foreign = tlsChannel(port, pki.caFile(), outsider);
    assertEquals(Status.Code.UNAVAILABLE, code(() -> recommender(anonymous, null).recommend(RECOMMEND)), "no client certificate");
    assertEquals(Status.Code.UNAVAILABLE, code(() -> recommender(foreign, null).recommend(RECOMMEND)),
        "a certificate with the right names from a CA outside the bundle");

    ManagedChannel viewerChannel = tlsChannel(port, pki.caFile(), viewer);
    assertEquals(3, recommender(viewerChannel, null).recommend(RECOMMEND).getMoviesCount());
    assertEquals(1, admin(viewerChannel, null).listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
    StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> admin(viewerChannel, null).promote(promote(v2)));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    assertTrue(denied.getStatus().getDescription().contains("CN=viewer"), denied.getStatus().getDescription());

    ManagedChannel lookalikeChannel = tlsChannel(port, pki.caFile(), lookalike);
    assertEquals(3, recommender(lookalikeChannel, null).recommend(RECOMMEND).getMoviesCount(), "the partner CA authenticates");
    StatusRuntimeException impostor = assertThrows(StatusRuntimeException.class, () -> admin(lookalikeChannel, null).promote(promote(v2)));
    assertEquals(Status.Code.PERMISSION_DENIED, impostor.getStatus().getCode(), "same subject and name, another issuer");
    assertTrue(impostor.getStatus().getDescription().contains("issued by CN=partner"), impostor.getStatus().getDescription());
    assertEquals(1, f.server.models().snapshot().production(), "nothing changed");

    var response = admin(tlsChannel(port, pki.caFile(), mlops), null).promote(promote(v2));
    assertEquals(v2, response.getAlias().getVersion());
    assertEquals("uri:" + spiffe + " (issued by CN=recsys-test)", response.getAlias().getUpdated().getBy(),
        "the identity goes into the alias history");
  }

  @Test
  void adminIdentities_malformedOrWithAnIssuerOutsideTheBundle_areRefusedAtStartNamingTheValue() throws Exception {
    TestPki.Issued cert = pki.server("CN=localhost", "server");
    for (String bad : List.of("CN=mlops,O=recsys", "uri:spiffe://x", "fax:123|CN=recsys-test", "ip:not-an-address|CN=recsys-test",
        "uri:spiffe://x|not a name")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ServerFixture.config(registry, -1, false, 64).withSecurity(security(cert, pki.caFile(), true, null, null, List.of(bad),
              Duration.ofMinutes(1))).validate(), bad);
      assertTrue(e.getMessage().contains("admin-identities") && e.getMessage().contains(bad.split("\\|")[0]), e.getMessage());
    }
    IllegalArgumentException foreignIssuer = assertThrows(IllegalArgumentException.class, () -> dev.recsys.server.security.Authorization.of(
        security(cert, pki.caFile(), true, null, null, List.of("dns:mlops.recsys.test|CN=Someone Else"), Duration.ofMinutes(1))));
    assertTrue(foreignIssuer.getMessage().contains("CN=Someone Else") && foreignIssuer.getMessage().contains("CN=recsys-test"),
        foreignIssuer.getMessage());
  }

  @Test
  void adminToken_requiredToChangeModels_comparedExactly_neverEchoed() throws Exception {
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    ServerFixture f = start(security(null, null, false, tokenFile("admin-token", ADMIN_TOKEN), null, List.of(), Duration.ofMinutes(1)));

    // Reading stays open: no recommender token is configured.
    assertEquals(3, recommender(f.channel, null).recommend(RECOMMEND).getMoviesCount());
    assertEquals(1, admin(f.channel, null).listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());

    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> admin(f.channel, null).promote(promote(v2)));
    assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
    for (String wrong : List.of("Bearer " + ADMIN_TOKEN + "x", "Bearer " + ADMIN_TOKEN.substring(1), "Bearer wrong-guess")) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin(f.channel, wrong).promote(promote(v2)));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), wrong);
      String description = e.getStatus().getDescription();
      assertFalse(description.contains(ADMIN_TOKEN.substring(3, 12)), "never echo a token: " + description);
      assertFalse(description.contains("wrong-guess"), "never echo what was presented: " + description);
    }
    assertEquals(Status.Code.UNAUTHENTICATED, code(() -> admin(f.channel, "Basic " + ADMIN_TOKEN).promote(promote(v2))),
        "not a bearer token");
    assertEquals(1, f.server.models().snapshot().production(), "nothing changed");

    var ok = admin(f.channel, "bearer " + ADMIN_TOKEN).promote(promote(v2));
    assertEquals("admin-token", ok.getAlias().getUpdated().getBy());
    f.awaitServing(v2);
  }

  @Test
  void recommenderToken_protectsReads_healthStaysOpenForProbes() throws Exception {
    ServerFixture f = start(security(null, null, false, tokenFile("admin-token", ADMIN_TOKEN), tokenFile("read-token", READ_TOKEN), List.of(),
        Duration.ofMinutes(1)));

    assertEquals(Status.Code.UNAUTHENTICATED, code(() -> recommender(f.channel, null).recommend(RECOMMEND)));
    assertEquals(Status.Code.PERMISSION_DENIED, code(() -> recommender(f.channel, "not-it").recommend(RECOMMEND)));
    assertEquals(Status.Code.UNAUTHENTICATED, code(() -> admin(f.channel, null).listModels(ListModelsRequest.getDefaultInstance())));
    assertEquals(3, recommender(f.channel, READ_TOKEN).recommend(RECOMMEND).getMoviesCount());
    assertEquals(3, recommender(f.channel, ADMIN_TOKEN).recommend(RECOMMEND).getMoviesCount(), "an admin may read");
    assertEquals(Status.Code.PERMISSION_DENIED, code(() -> admin(f.channel, "Bearer " + READ_TOKEN).promote(promote(1))),
        "a reader may not change models");
    assertEquals(HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    assertEquals(Status.Code.UNAUTHENTICATED, reflection(f.channel, null), "reflection describes the API: a read");
    assertEquals(Status.Code.OK, reflection(f.channel, READ_TOKEN));
  }

  /** How a reflection ListServices call ends, with {@code token} or none. */
  private static Status.Code reflection(ManagedChannel channel, String token) throws InterruptedException {
    var stub = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel);
    if (token != null) {
      stub = stub.withCallCredentials(bearer("Bearer " + token));
    }
    java.util.concurrent.CompletableFuture<Status.Code> ended = new java.util.concurrent.CompletableFuture<>();
    var requests = stub.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS).serverReflectionInfo(
        new io.grpc.stub.StreamObserver<io.grpc.reflection.v1.ServerReflectionResponse>() {
          @Override
          public void onNext(io.grpc.reflection.v1.ServerReflectionResponse value) {
            ended.complete(value.hasListServicesResponse() ? Status.Code.OK : Status.Code.UNKNOWN);
          }

          @Override
          public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t).getCode());
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    try {
      return ended.get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void noAdminCredentialConfigured_modelChangesAreRefused_readsWork() throws Exception {
    ServerFixture f = start(security(null, null, false, null, null, List.of(), Duration.ofMinutes(1)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin(f.channel, null).promote(promote(1)));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("no admin credential configured"), e.getStatus().getDescription());
    assertEquals(1, admin(f.channel, null).listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
  }

  @Test
  void rotatedToken_takesEffectWithoutRestart() throws Exception {
    Path token = tokenFile("admin-token", ADMIN_TOKEN);
    long v2 = TrainedRegistry.copyVersion(registry, 1);
    ServerFixture f = start(security(null, null, false, token, null, List.of(), Duration.ofMinutes(1)));
    String rotated = "rotated-token-9876543210";
    Path tmp = Files.writeString(dir.resolve("admin-token.new"), rotated);
    Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().plusSeconds(5)));
    Files.move(tmp, token, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        admin(f.channel, "Bearer " + rotated).promote(promote(v2));
        break;
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertTrue(System.nanoTime() < deadline, "the rotated token was not accepted within 10 s");
        Thread.sleep(100);
      }
    }
    assertEquals(Status.Code.PERMISSION_DENIED, code(() -> admin(f.channel, "Bearer " + ADMIN_TOKEN).promote(promote(1))),
        "the old token no longer works");
  }

  @Test
  void renewedServerCertificate_isServedToNewConnectionsWithoutRestart() throws Exception {
    TestPki.Issued first = pki.server("CN=localhost,OU=first", "server");
    ServerFixture f = start(security(first, null, false, null, null, List.of(), Duration.ofMillis(200)));
    int port = f.server.port();
    ManagedChannel longLived = tlsChannel(port, pki.caFile(), null);
    assertEquals(3, recommender(longLived, null).recommend(RECOMMEND).getMoviesCount());
    assertEquals("CN=localhost,OU=first", peerSubject(port));

    pki.server("CN=localhost,OU=second", "server"); // same files, renewed in place
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!peerSubject(port).equals("CN=localhost,OU=second")) {
      assertTrue(System.nanoTime() < deadline, "the renewed certificate was not picked up within 10 s");
      Thread.sleep(100);
    }
    assertEquals(3, recommender(longLived, null).recommend(RECOMMEND).getMoviesCount(), "existing connections keep working");
    assertEquals(3, recommender(tlsChannel(port, pki.caFile(), null), null).recommend(RECOMMEND).getMoviesCount());
  }

  @Test
  void badSecuritySettings_stopTheStartWithTheSettingNamed_neverTheSecret() throws Exception {
    TestPki.Issued cert = pki.server("CN=localhost", "server");
    ServerConfig base = ServerFixture.config(registry, -1, false, 8);

    var identitiesWithoutCa = assertThrows(IllegalArgumentException.class,
        () -> base.withSecurity(security(cert, null, false, null, null, List.of("CN=mlops"), Duration.ofMinutes(1))).validate());
    assertTrue(identitiesWithoutCa.getMessage().contains("admin-identities"), identitiesWithoutCa.getMessage());

    var notAName = assertThrows(IllegalArgumentException.class,
        () -> Authorization.of(security(cert, pki.caFile(), false, null, null, List.of("mlops team"), Duration.ofMinutes(1))));
    assertTrue(notAName.getMessage().contains("'mlops team': it is not of the form"), notAName.getMessage());

    Path missing = dir.resolve("no-such-token");
    var noToken = assertThrows(IOException.class, () -> ServerFixture.onPort(
        base.withSecurity(security(null, null, false, missing, null, List.of(), Duration.ofMinutes(1))), List.of()));
    assertTrue(noToken.getMessage().contains("no-such-token"), noToken.getMessage());

    Path empty = tokenFile("empty-token", "  ");
    var emptyToken = assertThrows(IOException.class, () -> ServerFixture.onPort(
        base.withSecurity(security(null, null, false, empty, null, List.of(), Duration.ofMinutes(1))), List.of()));
    assertTrue(emptyToken.getMessage().contains("is empty"), emptyToken.getMessage());

    Path garbage = Files.writeString(dir.resolve("garbage.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    var badCert = assertThrows(IOException.class, () -> ServerFixture.onPort(
        base.withSecurity(security(new TestPki.Issued(garbage, cert.key(), null), null, false, null, null, List.of(), Duration.ofMinutes(1))),
        List.of()));
    assertTrue(badCert.getMessage().contains("garbage.crt"), badCert.getMessage());
    assertFalse(badCert.getMessage().contains(Files.readString(cert.key()).substring(40, 80)), "no key material in messages");
  }

  /** The subject of the certificate the server presents to a new TLS connection (h2 negotiated by ALPN, as gRPC requires). */
  private String peerSubject(int port) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(pki.caFile())) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }
}
