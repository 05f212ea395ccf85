package dev.recsys.server.serving;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.server.engine.ModelEngine;
import dev.recsys.server.engine.Types.Attributes;
import dev.recsys.server.engine.Types.Filter;
import dev.recsys.server.engine.Types.Profile;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;

/**
 * Calls a freshly loaded version the way clients will before it is installed, on the loading
 * thread: the JIT compiles the paths this version takes (a model kind the process has not served yet
 * runs interpreted at first), its arrays and memory-mapped index are paged in and cached, and the
 * fold-in vector cache holds some of its profiles. A call that fails here refuses the version: it would
 * fail for clients too. Off by default ({@code --warm-up-ms 0}): on a 2-core machine at 80% load,
 * four soak runs showed no smaller promotion spike with it (the spike there is the load's own CPU,
 * and the warm-up adds to it; docs/benchmarks.md). It is meant for versions whose first calls are
 * cold in ways a running server is not: a model kind not served before, a memory-mapped index.
 */
public final class WarmUp {

  /** What a warm-up did. */
  public record Result(int calls, double seconds) {}

  private WarmUp() {}

  /**
   * Runs up to {@code maxCalls} calls (recommendations with and without filters, fold-in, predictions
   * and similar movies, for random known users and movies) within {@code budget}.
   *
   * @throws IllegalStateException naming the call that failed
   */
  public static Result run(ModelEngine engine, Duration budget, int maxCalls) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + budget.toNanos();
    UserRatings users = engine.bundle().users();
    Catalog catalog = engine.catalog();
    if (users.users() == 0 || catalog.size() == 0) {
      return new Result(0, 0);
    }
    SplittableRandom random = new SplittableRandom(engine.version());
    int calls = 0;
    for (; calls < maxCalls && System.nanoTime() < end; calls++) {
      long user = users.userId(random.nextInt(users.users()));
      int movie = random.nextInt(catalog.size());
      String call = "";
      try {
        switch (calls % 8) {
          case 0, 1, 2, 3 -> {
            call = "recommend for user " + user;
            engine.recommend(user, Attributes.UNKNOWN, 10, Filter.NONE, 0, end);
          }
          case 4 -> {
            call = "recommend for user " + user + " in the genres of movie " + catalog.movieId(movie);
            engine.recommend(user, Attributes.UNKNOWN, 10, new Filter(catalog.genreMask(movie), new int[] {movie}, false), 0, end);
          }
          case 5 -> {
            call = "recommend for ratings of movie " + catalog.movieId(movie);
            engine.recommendForRatings(new Profile(new int[] {movie}, new float[] {engine.bundle().scale().max()}), 10, Filter.NONE, 0, end);
          }
          case 6 -> {
            call = "predict user " + user + " movie " + catalog.movieId(movie);
            engine.predict(user, new long[] {catalog.movieId(movie)});
          }
          default -> {
            call = "similar to movie " + catalog.movieId(movie);
            engine.similar(catalog.movieId(movie), 10);
          }
        }
      } catch (TimeoutException e) {
        break; // the budget ran out inside a batched call
      } catch (RuntimeException e) {
        throw new IllegalStateException("warm-up call failed (" + call + "): " + dev.recsys.models.console.Messages.describe(e), e);
      }
    }
    return new Result(calls, (System.nanoTime() - start) / 1e9);
  }
}
