package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Loading threads run at the nice value asked for (read back from Linux), and only they do. */
class LoaderThreadsTest {

  @Test
  void aLoaderThread_runsAtTheNiceAskedFor_andTheCreatorKeepsItsOwn() throws Exception {
    int mine = currentNice();
    assumeTrue(mine != -100 && mine < 19, "needs Linux's /proc and a test JVM not already at nice 19");
    assertEquals(19, niceOfAThreadFrom(new LoaderThreads(19)));
    assertEquals(mine, niceOfAThreadFrom(new LoaderThreads(0)), "0 leaves the priority as it is");
    assertEquals(mine, currentNice(), "only the loader thread was lowered");
  }

  /**
   * A thread that a loader starts inherits its nice 19 (Linux), so a version's batcher, which the
   * loader builds, would serve at the lowest priority; started through the server's starter it gets
   * the server's own.
   */
  @Test
  void threadsALoaderStarts_inheritItsNice_unlessTheServersStarterStartsThem() throws Exception {
    int mine = currentNice();
    assumeTrue(mine != -100 && mine < 19, "needs Linux's /proc and a test JVM not already at nice 19");
    NormalPriorityThreads starter = new NormalPriorityThreads();
    AtomicInteger direct = new AtomicInteger(-1);
    AtomicInteger started = new AtomicInteger(-1);
    Thread loader = new LoaderThreads(19).newThread(() -> {
      try {
        Thread.ofPlatform().start(() -> direct.set(currentNice())).join();
        Thread t = starter.start("scoring-batcher-test", () -> started.set(currentNice()));
        assertEquals("scoring-batcher-test", t.getName());
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loader.start();
    loader.join();
    assertEquals(19, direct.get(), "started by the loader itself: its nice");
    assertEquals(mine, started.get(), "started through the server's starter: the server's nice");
  }

  @Test
  void aNiceOutsideItsRange_isRefusedByValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LoaderThreads(20));
    assertEquals("load nice must be in [0, 19], got 20", e.getMessage());
  }

  private static int niceOfAThreadFrom(LoaderThreads factory) throws InterruptedException {
    AtomicInteger nice = new AtomicInteger(-1);
    Thread t = factory.newThread(() -> nice.set(currentNice()));
    t.start();
    t.join();
    return nice.get();
  }

  /** The calling thread's nice value as Linux reports it, or -100 when it cannot be read. */
  private static int currentNice() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'; nice is field 19.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[19 - 3]);
    } catch (java.io.IOException | RuntimeException e) {
      return -100;
    }
  }
}
