package dev.recsys.trainer.evaluation;

import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.data.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The few-ratings protocol for new users: a user is shown to the model only through a short
 * profile (a seeded random {@code min..max} of their ratings, as a person typing a few ratings
 * would give), and every other movie they rated is relevant. Users with too few ratings to keep
 * one relevant movie are left out.
 */
public final class FewRatings {

  /** Shortest and longest profile. */
  public record Sizes(int min, int max) {
    public Sizes {
      if (min < 1 || max < min || max > 50) {
        throw new IllegalArgumentException("profile sizes must satisfy 1 <= min <= max <= 50, got " + min + ".." + max);
      }
    }
  }

  private FewRatings() {}

  /**
   * Splits the ratings of {@code users} (dense indexes into {@code ratings}) into profiles (the
   * fold's train part) and the rest (its test part); other users have no rows in either.
   */
  public static Fold split(RatingsTable ratings, int[] users, Sizes sizes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> profile = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    for (int u : users) {
      int count = ratings.userCount(u);
      if (count <= sizes.min()) {
        continue;
      }
      int n = Math.min(count - 1, sizes.min() + random.nextInt(sizes.max() - sizes.min() + 1));
      int[] rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = ratings.userStart(u) + i;
      }
      Shuffle.sampleToFront(rows, count, n, random);
      boolean[] inProfile = new boolean[count];
      for (int i = 0; i < n; i++) {
        inProfile[rows[i] - ratings.userStart(u)] = true;
      }
      for (int i = 0; i < count; i++) {
        (inProfile[i] ? profile : rest).add(ratings.userStart(u) + i);
      }
    }
    return new Fold(0, ratings.subset(sorted(profile)), ratings.subset(sorted(rest)));
  }

  private static int[] sorted(List<Integer> rows) {
    return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}
