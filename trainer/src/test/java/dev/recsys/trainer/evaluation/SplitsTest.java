package dev.recsys.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.testing.Fixtures;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitsTest {

  static Set<Long> keys(RatingsTable t) {
    Set<Long> s = new HashSet<>();
    for (int i = 0; i < t.size(); i++) {
      s.add(((long) t.user(i) << 32) | t.movie(i));
    }
    return s;
  }

  @Test
  void kfold_holdsEveryRatingOutExactlyOnce() throws Exception {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    List<Fold> folds = Splits.folds(Protocol.parse("kfold:5"), all, 1, null);
    Set<Long> heldOut = new HashSet<>();
    for (Fold f : folds) {
      assertEquals(all.size(), f.train().size() + f.test().size());
      Set<Long> test = keys(f.test());
      assertTrue(java.util.Collections.disjoint(test, keys(f.train())));
      for (long k : test) {
        assertTrue(heldOut.add(k), "held out twice");
      }
    }
    assertEquals(all.size(), heldOut.size());
  }

  @Test
  void perUser_holdsOutAShareOfEachUser_andNeverAllOfThem() {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    Fold f = Splits.perUser(all, 0.25, 3);
    for (int u = 0; u < all.numUsers(); u++) {
      int n = all.userCount(u);
      int held = f.test().userCount(u);
      assertEquals(Math.min(n - 1, Math.round(n * 0.25f)), held, "user " + u);
    }
  }

  @Test
  void last_holdsOutEachUsersLatestRating() {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    Fold f = Splits.last(all, 1);
    assertEquals(all.numUsers(), f.test().size());
    for (int i = 0; i < f.test().size(); i++) {
      int u = f.test().user(i);
      for (int r = f.train().userStart(u); r < f.train().userEnd(u); r++) {
        assertTrue(f.train().timestamp(r) <= f.test().timestamp(i));
      }
    }
  }

  @Test
  void sameSeed_sameSplit_otherSeed_otherSplit() throws Exception {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    assertEquals(keys(Splits.holdout(all, 0.2, 9).test()), keys(Splits.holdout(all, 0.2, 9).test()));
    assertTrue(!keys(Splits.holdout(all, 0.2, 9).test()).equals(keys(Splits.holdout(all, 0.2, 10).test())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"kfold:1", "kfold:x", "holdout:0", "holdout:1.5", "split:u1.base", "per-user:-1", "last:0", "nonsense", "loo:1"})
  void parse_badProtocol_saysWhatIsAccepted(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.parse(text));
    assertTrue(e.getMessage().length() > 10, e.getMessage());
  }

  @Test
  void parse_roundTrips() {
    for (String p : List.of("kfold:5", "holdout:0.2", "split:u1.base,u1.test", "per-user:0.25", "last:1")) {
      assertEquals(p, Protocol.parse(p).toString());
    }
  }

  @Test
  void perUser_capped_holdsOutOnlyASampleOfUsers_andIsTheUncappedSplitBelowTheCap() {
    dev.recsys.trainer.data.RatingsTable all = dev.recsys.trainer.testing.Fixtures.data("ml-100k").ratings();
    Fold capped = Splits.perUser(all, 0.2, 5, 100);
    long held = java.util.stream.IntStream.range(0, all.numUsers()).filter(u -> capped.test().userCount(u) > 0).count();
    assertEquals(100, held);
    assertEquals(all.size(), capped.train().size() + capped.test().size());

    Fold below = Splits.perUser(all, 0.2, 5, 10_000);
    Fold uncapped = Splits.perUser(all, 0.2, 5);
    assertEquals(uncapped.test().size(), below.test().size());
    for (int r = 0; r < below.test().size(); r++) {
      assertEquals(uncapped.test().user(r), below.test().user(r));
      assertEquals(uncapped.test().movie(r), below.test().movie(r));
    }
  }

  @Test
  void users_keepsEveryRatingOfASampleOfUsers() {
    dev.recsys.trainer.data.RatingsTable all = dev.recsys.trainer.testing.Fixtures.data("ml-100k").ratings();
    dev.recsys.trainer.data.RatingsTable sample = Splits.users(all, 50, 3);
    int users = 0;
    for (int u = 0; u < all.numUsers(); u++) {
      if (sample.userCount(u) > 0) {
        users++;
        assertEquals(all.userCount(u), sample.userCount(u), "user " + u + " keeps all their ratings");
      }
    }
    assertEquals(50, users);
    assertEquals(all.numMovies(), sample.numMovies());
    assertSame(all, Splits.users(all, 10_000, 3), "no sample below the cap");
  }

  /** Two split files sharing ratings (u1.base with u2.test) would put the test part in training: refused, counting them. */
  @Test
  void splitFilesThatShareRatings_areRefused() throws Exception {
    RatingsTable all = Fixtures.data("ml-100k").ratings();
    Protocol.SplitFiles typo = new Protocol.SplitFiles("u1.base", "u2.test");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Splits.folds(typo, all, 1, file -> file.equals("u1.base") ? new int[] {0, 1, 2, 3} : new int[] {3, 4}));
    assertTrue(e.getMessage().contains("u1.base and u2.test share 1 of the test file's 2 ratings"), e.getMessage());
    Fold ok = Splits.folds(new Protocol.SplitFiles("u1.base", "u1.test"), all, 1,
        file -> file.equals("u1.base") ? new int[] {0, 1, 2} : new int[] {3, 4}).getFirst();
    assertEquals(3, ok.train().size());
    assertEquals(2, ok.test().size());
  }
}
