package dev.recsys.server.scoring;

import dev.recsys.models.scoring.DotScorer;

/** Java scoring on the calling thread: no queue, no device memory. */
public record CpuScoring(DotScorer scorer) implements EmbeddingScoring {

  @Override
  public void score(float[] user, float[] out, long deadlineNanos) {
    scorer.score(user, out);
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
