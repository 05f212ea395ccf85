package dev.recsys.trainer.rating;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs that seed Smile's random generator side by side. Smile's generator ({@code MathEx}) is per
 * thread, so each run owns its thread from seeding to result: plain threads, not the fork-join
 * pool, whose workers pick up another task while waiting on Smile's inner parallel loops and would
 * reseed the generator in the middle of a run. The caller's own generator is left alone.
 */
final class SeededRuns {

  private SeededRuns() {}

  /** {@code runs} results of {@code run} (given the run's number), in run order. */
  static <T> List<T> inParallel(int runs, IntFunction<T> run) {
    int threads = Math.max(1, Math.min(runs, Runtime.getRuntime().availableProcessors()));
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        int index = i;
        futures.add(pool.submit(() -> run.apply(index)));
      }
      List<T> out = new ArrayList<>();
      try {
        for (Future<T> f : futures) {
          out.add(f.get());
        }
      } catch (InterruptedException e) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for seeded runs", e);
      } catch (ExecutionException e) {
        // One failed run fails them all: queued runs are dropped (running ones finish, Smile does not stop).
        pool.shutdownNow();
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
      return out;
    }
  }
}
