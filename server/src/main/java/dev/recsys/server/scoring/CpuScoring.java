package dev.recsys.server.scoring;

import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;

/** Java scoring on the calling thread: no queue, no device memory. */
public record CpuScoring(DotScorer scorer) implements EmbeddingScoring {

  @Override
  public void score(float[] user, float[] out, long deadlineNanos) {
    scorer.score(user, out);
  }

  /** Scores and selects in one pass over the movie matrix; {@code scratch} is not touched. */
  @Override
  public TopK.Result top(float[] user, int k, TopK.Filter filter, java.util.function.Supplier<float[]> scratch, long deadlineNanos) {
    return scorer.top(user, k, filter);
  }

  @Override
  public int items() {
    return scorer.items();
  }

  @Override
  public String device() {
    return "cpu";
  }

  @Override
  public void close() {}
}
