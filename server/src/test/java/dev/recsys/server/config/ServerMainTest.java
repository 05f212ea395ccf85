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
        "--device", "cpu", "--batching", "on", "--batch-delay-us", "250", "--poll-seconds", "0.5", "--worker-threads", "3");
    assertEquals("films", c.model());
    assertEquals(6000, c.port());
    assertEquals(Device.CPU, c.device());
    assertTrue(c.batching());
    assertEquals(Duration.ofNanos(250_000), c.maxBatchDelay());
    assertEquals(Duration.ofMillis(500), c.pollInterval());
    assertEquals(3, c.workerThreads());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port|70000|port=70000",
      "--port|abc|port=abc",
      "--device|tpu|tpu",
      "--batching|maybe|batching=maybe",
      "--max-concurrent-calls|0|max-concurrent-calls=0",
      "--model|Bad/Name|model=Bad/Name",
      "--poll-seconds|0|poll-interval",
      "--max-message-bytes|10|max-message-bytes=10",
      "--tls-cert|/x.pem|tls-cert/tls-key"})
  void badValue_isNamedInTheError(String flag, String value, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerMainAccess.parse("--registry", "/r", flag, value));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
