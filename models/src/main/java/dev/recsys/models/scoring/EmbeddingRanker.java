package dev.recsys.models.scoring;

/** Ranks by the dot product of the user's vector with each movie embedding, plus the movie bias. */
public record EmbeddingRanker(DotScorer scorer) implements Ranker {

  @Override
  public void score(User user, float[] out) {
    scorer.score(user.vector(), out);
  }

  @Override
  public int items() {
    return scorer.items();
  }
}
