package dev.recsys.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.server.ServerMainAccess;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ServerMainTest {

  @Test
  void flags_becomeTheConfig() {
    ServerConfig c = ServerMainAccess.parse("--registry", "/r", "--model", "films", "--port", "6000", "--metrics-port", "6001",
        "--device", "cpu", "--batching", "on", "--batch-size", "2", "--batch-delay-us", "250", "--poll-seconds", "0.5");
    assertEquals("films", c.model());
    assertEquals(6000, c.port());
    assertEquals(Device.CPU, c.device());
    assertTrue(c.batching());
    assertEquals(Duration.ofNanos(250_000), c.maxBatchDelay());
    assertEquals(Duration.ofMillis(500), c.pollInterval());
    assertEquals(0, c.workerThreads(), "virtual threads with batching");
    assertTrue(c.graphIndex(), "a version's graph index is used by default");
    assertEquals(Duration.ZERO, c.warmUp(), "off by default: no gain measured");
    assertEquals(Duration.ofSeconds(10), c.maxCallTime(), "the server's limit on one call's work");
    ServerConfig off = ServerMainAccess.parse("--registry", "/r", "--graph-index", "off", "--warm-up-ms", "0");
    assertTrue(!off.graphIndex() && off.warmUp().isZero());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port|70000|port=70000",
      "--port|abc|port=abc",
      "--device|tpu|tpu",
      "--batching|maybe|batching=maybe",
      "--graph-index|sometimes|graph-index=sometimes",
      "--warm-up-ms|-5|warm-up-ms=-5",
      "--warm-up-ms|70000|warm-up-ms=70000",
      "--max-concurrent-calls|0|max-concurrent-calls=0",
      "--max-queue-ms|60001|max-queue-ms=60001",
      "--max-call-ms|0|max-call-ms=0",
      "--max-call-ms|600001|max-call-ms=600001",
      "--max-call-ms|ten|max-call-ms=ten",
      "--model|Bad/Name|model=Bad/Name",
      "--poll-seconds|0|poll-interval",
      "--max-message-bytes|10|max-message-bytes=10",
      "--tls-cert|/x.pem|tls-cert/tls-key"})
  void badValue_isNamedInTheError(String flag, String value, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerMainAccess.parse("--registry", "/r", flag, value));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** The switches the docs write bare take no value, and still take one. */
  @Test
  void switches_standAlone_orTakeAValue() {
    assertTrue(ServerMainAccess.parse("--registry", "/r", "--insecure-admin").security().insecureAdmin());
    assertTrue(!ServerMainAccess.parse("--registry", "/r", "--insecure-admin=false").security().insecureAdmin());
    ServerConfig mtls = ServerMainAccess.parse("--registry", "/r", "--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-client-ca", "/ca.pem",
        "--tls-require-client-cert", "--port", "1");
    assertTrue(mtls.security().requireClientCert());
    assertEquals(1, mtls.port(), "the next option is not taken as the switch's value");
  }

  @Test
  void adminIdentities_areSeparatedBySemicolons_soIssuerNamesKeepTheirCommas() {
    ServerConfig c = ServerMainAccess.parse("--registry", "/r", "--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-client-ca", "/ca.pem",
        "--admin-identities", "uri:spiffe://example.org/mlops|CN=Ops CA,O=Example; dns:ops.example.org|CN=Ops CA,O=Example");
    assertEquals(java.util.List.of("uri:spiffe://example.org/mlops|CN=Ops CA,O=Example", "dns:ops.example.org|CN=Ops CA,O=Example"),
        c.security().adminIdentities());
    IllegalArgumentException subjectOnly = assertThrows(IllegalArgumentException.class, () -> ServerMainAccess.parse("--registry", "/r",
        "--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-client-ca", "/ca.pem", "--admin-identities", "CN=mlops,O=Example"));
    assertTrue(subjectOnly.getMessage().contains("a subject name alone is not accepted"), subjectOnly.getMessage());
  }

  @Test
  void adminIdentity_ipAddressesCompareAsAddresses_andTheRecordNamesTheIssuer() {
    var ip = dev.recsys.server.security.AdminIdentity.parse("ip:::1|CN=Ops CA");
    assertEquals("0:0:0:0:0:0:0:1", ip.name(), "written short, compared in one canonical form");
    assertEquals("ip:" + ip.name() + " (issued by CN=Ops CA)", ip.toString());
    var dns = dev.recsys.server.security.AdminIdentity.parse(" DNS:Ops.Example.org | cn=Ops CA ");
    assertEquals(dev.recsys.server.security.AdminIdentity.Kind.DNS, dns.kind());
    assertEquals(new javax.security.auth.x500.X500Principal("CN=Ops CA"), dns.issuer());
    assertThrows(IllegalArgumentException.class, () -> dev.recsys.server.security.AdminIdentity.parse("ip:ops.example.org|CN=Ops CA"),
        "a host name is not an address (and is never looked up)");
  }

  @Test
  void batching_runsCallsOnVirtualThreads_andAWorkerCountIsRefusedByName() {
    ServerConfig c = ServerMainAccess.parse("--registry", "/r", "--batching", "on", "--batch-size", "64");
    assertEquals(0, c.workerThreads(), "no pool: a caller waiting for its batch holds no platform thread");
    assertTrue(ServerMainAccess.parse("--registry", "/r").workerThreads() >= 2, "2 per core without batching");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerMainAccess.parse("--registry", "/r", "--batching", "on", "--batch-size", "64", "--worker-threads", "8"));
    assertTrue(e.getMessage().contains("worker-threads=8") && e.getMessage().contains("batching on"), e.getMessage());
  }
}
