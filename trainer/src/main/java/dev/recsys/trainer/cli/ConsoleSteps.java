package dev.recsys.trainer.cli;

import dev.recsys.models.console.Progress;
import dev.recsys.trainer.rating.RatingPipeline;

/** Progress lines on standard error for each step of a fit, with a prefix such as "fold 2/5". */
final class ConsoleSteps implements RatingPipeline.Steps {

  private final String prefix;

  ConsoleSteps(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Progress start(String step, long total) {
    return Progress.start(prefix.isEmpty() ? step : prefix + ": " + step, total, Progress.Unit.STEPS);
  }
}
