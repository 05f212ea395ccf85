package dev.recsys.models.scoring;

/** Ranks by popularity (the number of ratings each movie received), whoever the user is. */
public record PopularityRanker(int[] counts) implements Ranker {

  @Override
  public void score(User user, float[] out) {
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i];
    }
  }

  @Override
  public int items() {
    return counts.length;
  }
}
