package dev.recsys.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.hotspot.ThreadExports;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

  /**
   * The scrape filter must keep the exporter from searching for deadlocks at all (each search is a
   * safepoint), not only hide the result: pinned here against the library's behaviour.
   */
  @Test
  void scrapeFilter_skipsTheDeadlockSearch_andKeepsTheOtherThreadMetrics() {
    ThreadMXBean real = ManagementFactory.getThreadMXBean();
    AtomicInteger searches = new AtomicInteger();
    ThreadMXBean counting = (ThreadMXBean) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ThreadMXBean.class},
        (proxy, method, args) -> {
          if (method.getName().startsWith("find")) {
            searches.incrementAndGet();
          }
          return method.invoke(real, args);
        });
    ThreadExports threads = new ThreadExports(counting);

    List<String> served = threads.collect(ServerMetrics.NOT_SCRAPED).stream().map(f -> f.name).toList();
    assertEquals(0, searches.get(), "deadlock search ran under the scrape filter");
    assertTrue(served.containsAll(List.of("jvm_threads_current", "jvm_threads_daemon", "jvm_threads_state")), served.toString());
    assertFalse(served.stream().anyMatch(n -> n.startsWith("jvm_threads_deadlocked")), served.toString());

    // Without the filter the same exporter does search: the count above is not vacuous.
    threads.collect();
    assertEquals(2, searches.get());
  }

  @Test
  void scrapeFilter_keepsEveryRecsysMetric() {
    for (String name : List.of("recsys_grpc_calls_total", "recsys_grpc_latency_seconds_bucket", "recsys_model_loads_total", "jvm_memory_bytes_used")) {
      assertTrue(ServerMetrics.NOT_SCRAPED.test(name), name);
    }
    assertFalse(ServerMetrics.NOT_SCRAPED.test("jvm_threads_deadlocked_monitor"));
  }
}
