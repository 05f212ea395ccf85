package dev.recsys.models.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a progress line says, on a fake clock. */
class ProgressTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void fastStepsShowARateAndSlowStepsTheirTimeEachWithAnEta() {
    AtomicLong now = new AtomicLong();
    Progress fast = new Progress("movies", 1000, Progress.Unit.ITEMS, new PrintStream(PrintStream.nullOutputStream()), false, now::get);
    fast.set(500);
    now.set(2 * SECOND);
    assertEquals("movies: 500 / 1,000 (50%)  250/s  eta 2.0s", fast.render(now.get()));

    now.set(0);
    Progress slow = new Progress("ALS, iteration", 10, Progress.Unit.STEPS, new PrintStream(PrintStream.nullOutputStream()), false, now::get);
    slow.set(2);
    now.set(34 * SECOND);
    assertEquals("ALS, iteration: 2 / 10 (20%)  17.0s each  eta 2m16s", slow.render(now.get()));
  }

  @Test
  void aStageCountsOnItsOwn_andTheFinalTimeIsTheWholeTasks() {
    AtomicLong now = new AtomicLong();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Progress p = new Progress("matrix factorisation (auto)", 4, Progress.Unit.STEPS, new PrintStream(out), false, now::get);
    p.stage("als, epoch", 4);
    p.set(4);
    now.set(10 * SECOND);
    p.stage("gibbs, sweep", 240);
    p.set(28);
    now.set(24 * SECOND);
    // Not "28 / 4 (700%)": the stage's own count, and a rate and ETA from the stage's start.
    assertEquals("matrix factorisation (auto) - gibbs, sweep: 28 / 240 (12%)  2/s  eta 1m46s", p.render(now.get()));
    p.close();
    assertEquals("done in 24.0s", out.toString().strip().substring(out.toString().strip().lastIndexOf("done in")), out.toString());
  }
}
