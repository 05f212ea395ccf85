package dev.recsys.trainer.evaluation;

import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.data.Shuffle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Cuts a ratings table into folds according to a {@link Protocol}, reproducibly from a seed. */
public final class Splits {

  /** Reads a data set's own split files as row indexes of the full table. */
  @FunctionalInterface
  public interface SplitFileReader {
    int[] rows(String file) throws java.io.IOException;
  }

  private Splits() {}

  /** The folds of {@code protocol}; {@code files} is only used by {@link Protocol.SplitFiles}. */
  public static List<Fold> folds(Protocol protocol, RatingsTable all, long seed, SplitFileReader files)
      throws java.io.IOException {
    return switch (protocol) {
      case Protocol.KFold k -> kfold(all, k.k(), seed);
      case Protocol.Holdout h -> List.of(holdout(all, h.fraction(), seed));
      case Protocol.SplitFiles s -> List.of(new Fold(0, all.subset(files.rows(s.baseFile())), all.subset(files.rows(s.testFile()))));
      case Protocol.PerUser p -> List.of(perUser(all, p.fraction(), seed));
      case Protocol.Last l -> List.of(last(all, l.n()));
    };
  }

  static List<Fold> kfold(RatingsTable all, int k, long seed) {
    int[] perm = permutation(all.size(), seed);
    List<Fold> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      boolean[] inTest = new boolean[all.size()];
      for (int i = f; i < perm.length; i += k) {
        inTest[perm[i]] = true;
      }
      folds.add(partition(f, all, inTest));
    }
    return folds;
  }

  /** A seeded random share of all ratings held out. */
  public static Fold holdout(RatingsTable all, double fraction, long seed) {
    int[] perm = permutation(all.size(), seed);
    boolean[] inTest = new boolean[all.size()];
    int testSize = (int) Math.round(all.size() * fraction);
    for (int i = 0; i < testSize; i++) {
      inTest[perm[i]] = true;
    }
    return partition(0, all, inTest);
  }

  /**
   * For each user, a seeded random share of their ratings held out (rounded, and never all of
   * them: a user with a single rating stays in training).
   */
  public static Fold perUser(RatingsTable all, double fraction, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] inTest = new boolean[all.size()];
    for (int u = 0; u < all.numUsers(); u++) {
      int start = all.userStart(u);
      int count = all.userCount(u);
      int held = Math.min(count - 1, (int) Math.round(count * fraction));
      int[] rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = start + i;
      }
      Shuffle.sampleToFront(rows, count, held, random);
      for (int i = 0; i < held; i++) {
        inTest[rows[i]] = true;
      }
    }
    return partition(0, all, inTest);
  }

  /** For each user with more than {@code n} ratings, the {@code n} latest held out. */
  public static Fold last(RatingsTable all, int n) {
    boolean[] inTest = new boolean[all.size()];
    for (int u = 0; u < all.numUsers(); u++) {
      int start = all.userStart(u);
      int count = all.userCount(u);
      if (count <= n) {
        continue;
      }
      Integer[] rows = new Integer[count];
      for (int i = 0; i < count; i++) {
        rows[i] = start + i;
      }
      // Latest first; equal times broken by row order so the split is deterministic.
      Arrays.sort(rows, (a, b) -> all.timestamp(a) != all.timestamp(b) ? Long.compare(all.timestamp(b), all.timestamp(a)) : Integer.compare(b, a));
      for (int i = 0; i < n; i++) {
        inTest[rows[i]] = true;
      }
    }
    return partition(0, all, inTest);
  }

  private static Fold partition(int index, RatingsTable all, boolean[] inTest) {
    int testCount = 0;
    for (boolean b : inTest) {
      if (b) {
        testCount++;
      }
    }
    int[] train = new int[all.size() - testCount];
    int[] test = new int[testCount];
    for (int i = 0, a = 0, b = 0; i < all.size(); i++) {
      if (inTest[i]) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new Fold(index, all.subset(train), all.subset(test));
  }

  private static int[] permutation(int n, long seed) {
    return Shuffle.permutation(n, new SplittableRandom(seed));
  }
}
