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
      case Protocol.SplitFiles s -> List.of(splitFiles(all, s, files.rows(s.baseFile()), files.rows(s.testFile())));
      case Protocol.PerUser p -> List.of(perUser(all, p.fraction(), seed));
      case Protocol.Last l -> List.of(last(all, l.n()));
    };
  }

  /**
   * The fold two split files name. They must not share a rating: {@code split:u1.base,u2.test} (a
   * typo of u1.test) puts every test rating in training too, and the "held-out" figures would be
   * training figures.
   */
  static Fold splitFiles(RatingsTable all, Protocol.SplitFiles s, int[] base, int[] test) {
    java.util.BitSet inBase = new java.util.BitSet(all.size());
    for (int row : base) {
      inBase.set(row);
    }
    int shared = 0;
    for (int row : test) {
      shared += inBase.get(row) ? 1 : 0;
    }
    if (shared > 0) {
      throw new IllegalArgumentException(s.baseFile() + " and " + s.testFile() + " share " + shared + " of the test file's " + test.length
          + " ratings: a test rating in training makes the held-out figures training figures (did you mean the test file of the same split?)");
    }
    return new Fold(0, all.subset(base), all.subset(test));
  }

  /** {@code k} folds of a seeded permutation: every rating is held out in exactly one. */
  public static List<Fold> kfold(RatingsTable all, int k, long seed) {
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

  /** A seeded random sample of at most {@code rows} ratings (all of them when there are fewer), in table order. */
  public static RatingsTable sample(RatingsTable all, int rows, long seed) {
    if (all.size() <= rows) {
      return all;
    }
    int[] picked = Arrays.copyOf(permutation(all.size(), seed), rows);
    Arrays.sort(picked);
    return all.subset(picked);
  }

  /**
   * Every rating of a seeded sample of at most {@code maxUsers} users (among those with ratings), as
   * a table over the same index spaces; the whole table when there are no more users than that.
   */
  public static RatingsTable users(RatingsTable all, int maxUsers, long seed) {
    int[] active = java.util.stream.IntStream.range(0, all.numUsers()).filter(u -> all.userCount(u) > 0).toArray();
    if (active.length <= maxUsers) {
      return all;
    }
    Shuffle.sampleToFront(active, active.length, maxUsers, new SplittableRandom(seed));
    int[] picked = Arrays.copyOf(active, maxUsers);
    Arrays.sort(picked);
    int rows = 0;
    for (int u : picked) {
      rows += all.userCount(u);
    }
    int[] keep = new int[rows];
    int n = 0;
    for (int u : picked) {
      for (int r = all.userStart(u); r < all.userEnd(u); r++) {
        keep[n++] = r;
      }
    }
    return all.subset(keep);
  }

  /**
   * For each user, a seeded random share of their ratings held out (rounded, and never all of
   * them: a user with a single rating stays in training).
   */
  public static Fold perUser(RatingsTable all, double fraction, long seed) {
    return perUser(all, fraction, seed, Integer.MAX_VALUE);
  }

  /**
   * As {@link #perUser(RatingsTable, double, long)}, but only a seeded sample of at most
   * {@code maxUsers} users (among those with two or more ratings) has ratings held out; the others
   * keep all theirs in training. Bounds the cost of ranking the held-out users (every user against
   * every movie) at any data size; below the cap the split is exactly the uncapped one.
   */
  public static Fold perUser(RatingsTable all, double fraction, long seed, int maxUsers) {
    boolean[] heldUser = sampledUsers(all, minRatings(2), maxUsers, seed);
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] inTest = new boolean[all.size()];
    for (int u = 0; u < all.numUsers(); u++) {
      if (heldUser != null && !heldUser[u]) {
        continue;
      }
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
    return last(all, n, Integer.MAX_VALUE, 0);
  }

  /**
   * As {@link #last(RatingsTable, int)}, but only a seeded sample of at most {@code maxUsers} users
   * (among those with more than {@code n} ratings) has its latest ratings held out: the same bound
   * on the cost of ranking held-out users as {@link #perUser(RatingsTable, double, long, int)}.
   */
  public static Fold last(RatingsTable all, int n, int maxUsers, long seed) {
    boolean[] heldUser = sampledUsers(all, minRatings(n + 1), maxUsers, seed);
    boolean[] inTest = new boolean[all.size()];
    for (int u = 0; u < all.numUsers(); u++) {
      int start = all.userStart(u);
      int count = all.userCount(u);
      if (count <= n || heldUser != null && !heldUser[u]) {
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

  private static java.util.function.IntPredicate minRatings(int n) {
    return count -> count >= n;
  }

  /**
   * A seeded sample of at most {@code maxUsers} of the users whose rating count {@code eligible}
   * accepts, as a mask over users; null when no more than {@code maxUsers} are eligible (all of them).
   */
  private static boolean[] sampledUsers(RatingsTable all, java.util.function.IntPredicate eligibleCount, int maxUsers, long seed) {
    int eligible = 0;
    for (int u = 0; u < all.numUsers(); u++) {
      eligible += eligibleCount.test(all.userCount(u)) ? 1 : 0;
    }
    if (eligible <= maxUsers) {
      return null;
    }
    int[] candidates = new int[eligible];
    for (int u = 0, c = 0; u < all.numUsers(); u++) {
      if (eligibleCount.test(all.userCount(u))) {
        candidates[c++] = u;
      }
    }
    Shuffle.sampleToFront(candidates, eligible, maxUsers, new SplittableRandom(seed ^ 0x5DEECE66DL));
    boolean[] held = new boolean[all.numUsers()];
    for (int i = 0; i < maxUsers; i++) {
      held[candidates[i]] = true;
    }
    return held;
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
