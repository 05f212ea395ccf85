package dev.recsys.client.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadPartsTest {

  @Test
  void mix_drawsOperationsInProportion() {
    RequestMix mix = RequestMix.parse("recommend=80, predict=15,similar=5,rate=0");
    Map<Operation, Integer> n = new EnumMap<>(Operation.class);
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      n.merge(mix.next(r), 1, Integer::sum);
    }
    assertEquals(0.80, n.get(Operation.RECOMMEND) / 100_000.0, 0.01);
    assertEquals(0.15, n.get(Operation.PREDICT) / 100_000.0, 0.01);
    assertEquals(0.05, n.get(Operation.SIMILAR) / 100_000.0, 0.01);
    assertTrue(!n.containsKey(Operation.RATE));
  }

  @Test
  void mix_badText_saysWhy() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestMix.parse("recommend")).getMessage().contains("<operation>=<weight>"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestMix.parse("delete=5")).getMessage().contains("unknown operation"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestMix.parse("recommend=0")).getMessage().contains("positive"));
  }

  @Test
  void users_zipfIsSkewed_uniformIsFlat_unknownShareHonoured() {
    long[] ids = new long[1000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 1;
    }
    SplittableRandom r = new SplittableRandom(2);
    Map<Long, Integer> zipf = new HashMap<>();
    UserSampler z = new UserSampler(ids, 1.1, 0.1);
    int unknown = 0;
    for (int i = 0; i < 100_000; i++) {
      long id = z.next(r);
      if (id > 1000) {
        unknown++;
      } else {
        zipf.merge(id, 1, Integer::sum);
      }
    }
    assertEquals(0.1, unknown / 100_000.0, 0.01);
    assertTrue(zipf.get(1L) > 20 * zipf.getOrDefault(1000L, 1), "the head is much hotter than the tail");
    Map<Long, Integer> flat = new HashMap<>();
    UserSampler u = new UserSampler(ids, UserSampler.exponent("uniform"), 0);
    for (int i = 0; i < 100_000; i++) {
      flat.merge(u.next(r), 1, Integer::sum);
    }
    assertTrue(flat.values().stream().allMatch(c -> c > 50 && c < 160));
    assertThrows(IllegalArgumentException.class, () -> UserSampler.exponent("pareto"));
  }
}
