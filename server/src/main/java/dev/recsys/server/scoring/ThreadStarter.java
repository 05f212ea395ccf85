package dev.recsys.server.scoring;

/**
 * Starts the long-lived threads that serve calls (a batcher's worker). On Linux a thread inherits
 * the nice value of the thread that starts it, and versions load on threads at nice 19
 * ({@code --load-nice}): a batcher started by one directly would serve every call of its version at
 * the lowest CPU priority. The server passes a starter whose threads run at its own priority.
 */
@FunctionalInterface
public interface ThreadStarter {

  /** Starts {@code task} on a new daemon platform thread called {@code name}. */
  Thread start(String name, Runnable task);

  /** Started by the calling thread, so at its priority (tests, tools). */
  ThreadStarter CALLER = (name, task) -> Thread.ofPlatform().name(name).daemon().start(task);
}
