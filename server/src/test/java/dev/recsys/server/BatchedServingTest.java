package dev.recsys.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with batched scoring over real gRPC: many concurrent callers share a batch, and waiting
 * for it holds no platform thread per caller (they run on virtual threads), so the batch size is
 * not capped by a worker pool. The batch counts come from the Prometheus endpoint operators read.
 */
class BatchedServingTest {

  @TempDir static Path dir;

  @Test
  void concurrentCallers_shareOneBatch_withoutAPlatformThreadEach() throws Exception {
    int callers = 32;
    try (ServerFixture f = ServerFixture.onPort(ServerFixture.batched(TrainedRegistry.copyInto(dir.resolve("registry")), 0, callers,
        Duration.ofMillis(80)), List.of()).awaitServing(1)) {
      assertEquals("cpu (batched)", f.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance()).getLoaded(0).getDevice());
      // The channel, its event loop and the call path exist before the threads are counted.
      f.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(10).build());
      long[] before = batchCounts(f);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      int platformBefore = threads.getThreadCount();
      int peak = platformBefore;
      List<Future<RecommendResponse>> answers = new ArrayList<>();
      try (var callersPool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < callers; i++) {
          long user = 100 + i;
          answers.add(callersPool.submit(() -> f.recommender().recommend(RecommendRequest.newBuilder().setUserId(user).setK(10).build())));
        }
        while (!answers.stream().allMatch(Future::isDone)) {
          peak = Math.max(peak, threads.getThreadCount());
          Thread.sleep(2);
        }
      }
      for (Future<RecommendResponse> answer : answers) {
        assertEquals(10, answer.get().getMoviesCount());
      }
      long[] after = batchCounts(f);
      long batches = after[0] - before[0];
      long requests = after[1] - before[1];
      assertEquals(callers, requests, "one scoring request per call");
      assertTrue(requests >= 8 * batches, callers + " callers in " + batches + " batches");
      // A worker per waiting caller (the old design) would have added ~32 platform threads.
      assertTrue(peak - platformBefore < callers / 2, "platform threads rose from " + platformBefore + " to " + peak);
    }
  }

  /** The batches and batched requests of version 1, as scraped. */
  private static long[] batchCounts(ServerFixture f) throws Exception {
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new long[] {counter(metrics, "recsys_scoring_batches_total"), counter(metrics, "recsys_scoring_batched_requests_total")};
  }

  private static long counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{version=\"1\",} ([0-9.E]+)$").matcher(metrics);
    assertTrue(m.find(), name + " missing from the scrape:\n" + metrics);
    return (long) Double.parseDouble(m.group(1));
  }
}
