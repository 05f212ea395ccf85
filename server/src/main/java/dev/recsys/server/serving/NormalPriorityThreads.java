package dev.recsys.server.serving;

import dev.recsys.models.console.Messages;
import dev.recsys.server.scoring.ThreadStarter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts threads from one thread made when this object is built (by the server, at its own
 * priority), whichever thread asks: a version's batcher, started by a loader at nice 19, then serves
 * at the server's priority instead of inheriting the loader's (Linux threads inherit the nice value
 * of the thread that starts them, see {@link LoaderThreads}).
 */
final class NormalPriorityThreads implements ThreadStarter {

  private final ThreadPoolExecutor starter;

  /** Builds the starting thread now, on the calling thread, so that it has the caller's priority. */
  NormalPriorityThreads() {
    starter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> Thread.ofPlatform().name("serving-thread-starter").daemon().unstarted(r));
    // A pool makes its thread on the first task, which would come from a loader: make it here.
    starter.prestartCoreThread();
  }

  @Override
  public Thread start(String name, Runnable task) {
    try {
      return starter.submit(() -> Thread.ofPlatform().name(name).daemon().start(task)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting thread " + name, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not start thread " + name + ": " + Messages.describe(e.getCause()), e.getCause());
    }
  }
}
