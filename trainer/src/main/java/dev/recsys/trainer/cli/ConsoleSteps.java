package dev.recsys.trainer.cli;

import dev.recsys.models.console.Progress;
import dev.recsys.trainer.rating.RatingPipeline;
import java.util.Map;

/**
 * Progress lines on standard error for each step of a fit, with a prefix such as "fold 2/5", and
 * optionally the wall time of every step (summed over steps of the same name) for the scale report.
 */
final class ConsoleSteps implements RatingPipeline.Steps {

  private final String prefix;
  private final Map<String, Double> seconds;

  ConsoleSteps(String prefix) {
    this(prefix, null);
  }

  /** @param seconds receives each step's wall time under "prefix: step" (in order: pass an ordered map), or null */
  ConsoleSteps(String prefix, Map<String, Double> seconds) {
    this.prefix = prefix;
    this.seconds = seconds;
  }

  @Override
  public Progress start(String step, long total) {
    String name = prefix.isEmpty() ? step : prefix + ": " + step;
    Progress p = Progress.start(name, total, Progress.Unit.STEPS);
    if (seconds != null) {
      p.onClose(s -> {
        synchronized (seconds) {
          seconds.merge(name, s, Double::sum);
        }
      });
    }
    return p;
  }
}
