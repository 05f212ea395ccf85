package dev.recsys.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Out-of-range load arguments stop the command before it connects, naming the option and the value. */
class LoadArgumentsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "--duration|-5s|--duration takes a duration such as 30s",
      "--duration|0s|--duration must be at least 1 ms",
      "--duration|1d|--duration takes a duration such as 30s, 2m or 500ms, got '1d'",
      "--duration|2000m|--duration must be at least 1 ms and at most a day, got '2000m'",
      "--warmup|-1s|--warmup takes a duration",
      "--concurrency|0|--concurrency must be in [1, 100000], got 0",
      "--connections|5000|--connections must be in [1, 1000], got 5000",
      "--rps|NaN|--rps must be in (0, 10000000], got NaN",
      "--unknown-share|1.5|--unknown-share must be in [0, 1], got 1.5",
      "--user-sample|0|--user-sample must be in [1, 100000], got 0",
      "--mix|recommend=2000000000,predict=2000000000|weight of 'recommend' must be in [0, 1000000]",
      "--mix|recommend=5,recommend=3|'recommend' is given a weight twice",
      "--mix|recommend=5,recommend=0|'recommend' is given a weight twice"})
  void badValue_isRefusedByName_beforeConnecting(String option, String value, String expected) {
    // Nothing listens on port 1: had the command connected first, the error would be about that.
    CliRun run = CliRun.run("127.0.0.1:1", "load", option, value);
    assertEquals(1, run.code(), run.err());
    assertTrue(run.err().contains(expected), run.err());
  }
}
