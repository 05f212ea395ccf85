package dev.recsys.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.server.config.ServerConfig;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TestPki;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a server with mutual TLS and an admin token: the connection options reach the
 * wire, model changes need the token, and failures are one line that never shows the token.
 */
class ClientSecurityTest {

  static final String TOKEN = "client-test-admin-token-77";

  @TempDir static Path dir;
  static ServerFixture fixture;
  static String target;
  static TestPki pki;
  static TestPki.Issued client;
  static Path token;
  static long v2;

  @BeforeAll
  static void start() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    v2 = TrainedRegistry.copyVersion(registry, 1);
    pki = TestPki.create(dir.resolve("pki"), "client-test");
    // Keys as OpenSSL and cert-manager write EC keys by default (SEC1), on both sides: gRPC alone reads PKCS#8 only.
    TestPki.Issued server = TestPki.withSec1Key(pki.server("CN=localhost", "server"));
    client = TestPki.withSec1Key(pki.client("CN=load-tester,O=recsys", "client"));
    token = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
    ServerConfig.Security security = new ServerConfig.Security(Optional.of(server.cert()), Optional.of(server.key()),
        Optional.of(pki.caFile()), true, Optional.of(token), Optional.empty(), List.of(), false, Duration.ofMinutes(1));
    fixture = ServerFixture.onPort(ServerFixture.config(registry, -1, false, 64).withSecurity(security), List.of()).awaitServing(1);
    target = "localhost:" + fixture.server.port();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String[] tls(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--ca-cert", pki.caFile().toString(), "--client-cert", client.cert().toString(), "--client-key", client.key().toString()));
    return all.toArray(String[]::new);
  }

  @Test
  void mutualTls_readsWork_andPromotionNeedsTheToken() {
    CliRun rec = CliRun.run(target, tls("recommend", "--user", "3", "--k", "2"));
    assertEquals(0, rec.code(), rec.err());
    assertTrue(rec.out().contains("personalized"), rec.out());

    CliRun refused = CliRun.run(target, tls("models", "promote", "--alias", "production", "--version", Long.toString(v2)));
    assertEquals(1, refused.code());
    // A certificate was presented, just not an admin's.
    assertTrue(refused.err().startsWith("error: PERMISSION_DENIED") && refused.err().contains("CN=load-tester"), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), "one line: " + refused.err());

    CliRun promoted = CliRun.run(target,
        tls("models", "promote", "--alias", "production", "--version", Long.toString(v2), "--token-file", token.toString()));
    assertEquals(0, promoted.code(), promoted.err());
    assertFalse((promoted.out() + promoted.err() + refused.err()).contains(TOKEN), "the token is never printed");
  }

  @Test
  void withoutAClientCertificate_theHandshakeFails_withAOneLineError() {
    CliRun run = CliRun.run(target, "health", "--ca-cert", pki.caFile().toString(), "--deadline-ms", "3000");
    assertEquals(1, run.code());
    assertTrue(run.err().startsWith("error: UNAVAILABLE"), run.err());
  }

  @Test
  void missingCertificateFiles_areNamedInTheError() {
    CliRun run = CliRun.run(target, "health", "--ca-cert", dir.resolve("nope.crt").toString());
    assertEquals(1, run.code());
    assertTrue(run.err().contains("nope.crt"), run.err());
  }
}
