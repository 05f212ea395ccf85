package dev.recsys.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.InvalidBundleException;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.server.engine.Types.Filter;
import dev.recsys.server.engine.Types.Profile;
import dev.recsys.server.engine.Types.Recommendation;
import dev.recsys.server.engine.Types.Scored;
import dev.recsys.server.scoring.CpuScoring;
import dev.recsys.server.testing.TrainedRegistry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every top-N model the trainer can select is served from the same published files: known users
 * get k movies they did not rate, new users get k movies they did not name, and content blending
 * leaves the answers well formed.
 */
class TopNModelsTest {

  @TempDir static Path dir;
  static VersionCheck version;

  @BeforeAll
  static void train() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    version = new ModelRegistry(registry).verify(TrainedRegistry.MODEL, 1);
  }

  static ModelEngine engine(String rankingModel, float contentWeight) throws InvalidBundleException {
    Manifest m = version.manifest();
    ObjectNode serving = m.serving().deepCopy();
    serving.put("ranking_model", rankingModel);
    serving.put("blend_weight", 0.5);
    serving.put("content_weight", contentWeight);
    Manifest edited = new Manifest(m.formatVersion(), m.modelName(), m.version(), m.createdAt(), m.dataset(), m.lineage(),
        m.hyperParameters(), m.metrics(), serving, m.files());
    ModelBundle bundle = ModelBundle.load(version.dir(), edited, true);
    return new ModelEngine(1, bundle, new CpuScoring(bundle.ranking().movies()), VectorCache.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ease", "blend", "ials", "bpr", "ranking", "item_neighbors", "popularity", "ranking_mmr"})
  void recommend_everySelectableModel_servesUnratedMoviesToKnownAndNewUsers(String model) throws Exception {
    ModelEngine engine = engine(model, 1f);
    long user = engine.bundle().users().userId(0);
    int from = engine.bundle().users().start(0);
    int to = engine.bundle().users().end(0);
    Set<Integer> rated = new HashSet<>();
    for (int r = from; r < to; r++) {
      rated.add(engine.bundle().users().movies()[r]);
    }
    Recommendation known = engine.recommend(user, Types.Attributes.UNKNOWN, 10, new Filter(0, new int[0], false), 0, Long.MAX_VALUE);
    assertEquals(10, known.movies().size(), model);
    for (Scored s : known.movies()) {
      assertFalse(rated.contains(s.movie()), model + " recommended a rated movie");
      assertTrue(Float.isFinite(s.score()), model);
    }
    int[] named = {0, 1, 2};
    Recommendation fresh = engine.recommendForRatings(new Profile(named, new float[] {5, 5, 1}), 10, new Filter(0, new int[0], false), 0,
        Long.MAX_VALUE);
    assertEquals(10, fresh.movies().size(), model);
    for (Scored s : fresh.movies()) {
      assertTrue(s.movie() > 2, model + " recommended a movie the new user named");
    }
  }

  @org.junit.jupiter.api.Test
  void load_easeSelectedWithoutEaseWeights_isRefusedNamingTheModel() throws Exception {
    ModelBundle bundle = engine("ease", 0).bundle();
    assertNotNull(bundle.ease(), "the trainer publishes EASE's weights whenever it fitted EASE");
    Manifest m = version.manifest();
    ObjectNode serving = m.serving().deepCopy();
    serving.put("ranking_model", "blend");
    serving.put("blend_weight", 3.0);
    Manifest edited = new Manifest(m.formatVersion(), m.modelName(), m.version(), m.createdAt(), m.dataset(), m.lineage(),
        m.hyperParameters(), m.metrics(), serving, m.files());
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> ModelBundle.load(version.dir(), edited, true));
    assertTrue(e.getMessage().contains("blend weight") && e.getMessage().contains("3.0"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void load_formatOneManifestWithoutTheNewSettings_servesWithBlendAndContentOff() throws Exception {
    Manifest m = version.manifest();
    ObjectNode serving = m.serving().deepCopy();
    serving.remove(java.util.List.of("blend_weight", "content_weight", "content_year_share"));
    serving.put("ranking_model", "ranking");
    Manifest old = new Manifest(1, m.modelName(), m.version(), m.createdAt(), m.dataset(), m.lineage(), m.hyperParameters(), m.metrics(),
        serving, m.files());
    ModelBundle bundle = ModelBundle.load(version.dir(), old, true);
    assertEquals(0f, bundle.spec().contentWeight());
    assertEquals(0.0, bundle.spec().blendWeight());
    ModelEngine engine = new ModelEngine(1, bundle, new CpuScoring(bundle.ranking().movies()), VectorCache.NONE);
    assertEquals(10, engine.recommendForRatings(new Profile(new int[] {0, 1}, new float[] {5, 4}), 10, new Filter(0, new int[0], false), 0,
        Long.MAX_VALUE).movies().size());
  }

  @org.junit.jupiter.api.Test
  void cluster_newUser_landsInTheSpaceTheSegmentsUse() throws Exception {
    ModelEngine engine = engine("blend", 0);
    Types.Segment s = engine.cluster(new Profile(new int[] {0, 1, 2, 3}, new float[] {5, 4, 5, 2}));
    int k = engine.bundle().segmentation().users().k();
    assertTrue(s.segment() >= 0 && s.segment() < k);
    assertEquals(k, s.distances().length);
    if (engine.bundle().segmentation().implicit() != null) {
      // Known users' stored vectors are the same projection a new user gets: their own ratings land in their segment.
      for (int u = 0; u < 20; u++) {
        int from = engine.bundle().users().start(u);
        int to = engine.bundle().users().end(u);
        Profile own = new Profile(java.util.Arrays.copyOfRange(engine.bundle().users().movies(), from, to),
            java.util.Arrays.copyOfRange(engine.bundle().users().ratings(), from, to));
        assertEquals(engine.cluster(engine.bundle().users().userId(u)).segment(), engine.cluster(own).segment(), "user " + u);
      }
    }
  }

  /**
   * Cold start walks the kept prefix of the most rated movies; the answer must be the full pass's
   * (popularity, exclusions out, genre in) for every filter, including genres too rare for the
   * prefix to hold k of them (ml-100k: 1,682 movies, prefix 1,000) and k beyond the prefix.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 10, 500})
  void coldStart_mostPopularWalk_answersAsAFullPassWould(int k) throws Exception {
    ModelEngine engine = engine("ease", 0);
    ModelBundle bundle = engine.bundle();
    int n = bundle.catalog().size();
    float[] popularity = new float[n];
    for (int m = 0; m < n; m++) {
      popularity[m] = bundle.popularity()[m];
    }
    int[] mostRated = dev.recsys.models.scoring.TopK.select(popularity, n, 3, dev.recsys.models.scoring.TopK.Filter.ALL);
    long[] masks = bundle.genreMasks();
    for (int g = -1; g < bundle.catalog().genres().size(); g++) {
      long genre = g < 0 ? 0 : 1L << g;
      for (int[] excluded : new int[][] {{}, {mostRated[2], mostRated[0]}}) {
        float[] scores = popularity.clone();
        for (int m : excluded) {
          scores[m] = Float.NEGATIVE_INFINITY;
        }
        int[] expected = dev.recsys.models.scoring.TopK.select(scores, n, k, m -> genre == 0 || (masks[m] & genre) != 0);
        int[] sortedExcluded = excluded.clone();
        java.util.Arrays.sort(sortedExcluded);
        Recommendation got = engine.recommend(Long.MAX_VALUE - 7, Types.Attributes.UNKNOWN, k, new Filter(genre, sortedExcluded, false), 0,
            Long.MAX_VALUE);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(got.movies().stream().mapToInt(Scored::movie).toArray()),
            "genre bit " + g + ", excluded " + java.util.Arrays.toString(excluded));
      }
    }
  }
}
