package dev.recsys.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.demographics.DemographicGroups;
import dev.recsys.models.demographics.DemographicPopularity;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.ClusterResponse;
import dev.recsys.proto.v1.Gender;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.PredictResponse;
import dev.recsys.proto.v1.PredictionSource;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendForRatingsResponse;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.RecommendationFilter;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.proto.v1.SimilarMoviesResponse;
import dev.recsys.proto.v1.Strategy;
import dev.recsys.proto.v1.TitleMatch;
import dev.recsys.proto.v1.UserAttributes;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each Recommender RPC's semantics, in-process, on a model trained from ml-100k. */
class RecommenderServiceTest {

  @TempDir static Path dir;
  static ServerFixture fixture;
  static ModelBundle bundle;

  @BeforeAll
  static void start() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    fixture = ServerFixture.inProcess(ServerFixture.config(registry, -1, false, 64)).awaitServing(1);
    VersionCheck v = new ModelRegistry(registry).verify(TrainedRegistry.MODEL, 1);
    bundle = ModelBundle.load(v.dir(), v.manifest(), true);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static RecommendResponse recommend(long user, int k, RecommendationFilter filter) {
    return fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(user).setK(k).setFilter(filter).build());
  }

  @Test
  void recommend_knownUser_personalised_excludesRated_sortedByScore() {
    RecommendResponse r = recommend(1, 20, RecommendationFilter.getDefaultInstance());

    assertEquals(Strategy.STRATEGY_PERSONALIZED, r.getStrategy());
    assertEquals(20, r.getMoviesCount());
    assertEquals(1, r.getServedBy().getVersion());
    assertEquals("production", r.getServedBy().getRoute());
    int user = bundle.users().indexOf(1);
    for (int i = 0; i < r.getMoviesCount(); i++) {
      ScoredMovie m = r.getMovies(i);
      assertEquals(i + 1, m.getRank());
      assertFalse(bundle.users().rated(user, bundle.catalog().indexOf(m.getMovie().getMovieId())), "rated movie returned");
      if (i > 0) {
        assertTrue(m.getScore() <= r.getMovies(i - 1).getScore());
      }
      assertFalse(m.getMovie().getTitle().isEmpty());
    }
  }

  @Test
  void recommend_includeRated_canReturnRatedMovies_andExclusionsAreHonoured() {
    RecommendResponse all = recommend(1, 50, RecommendationFilter.newBuilder().setIncludeRated(true).build());
    int user = bundle.users().indexOf(1);
    assertTrue(all.getMoviesList().stream().anyMatch(m -> bundle.users().rated(user, bundle.catalog().indexOf(m.getMovie().getMovieId()))));

    long first = all.getMovies(0).getMovie().getMovieId();
    RecommendResponse without = recommend(1, 50, RecommendationFilter.newBuilder().setIncludeRated(true).addExcludeMovieIds(first).build());
    assertTrue(without.getMoviesList().stream().noneMatch(m -> m.getMovie().getMovieId() == first));
  }

  @Test
  void recommend_genreFilter_returnsOnlyThoseGenres_caseInsensitive() {
    RecommendResponse r = recommend(1, 15, RecommendationFilter.newBuilder().addGenres("horror").addGenres("Western").build());
    assertEquals(15, r.getMoviesCount());
    for (ScoredMovie m : r.getMoviesList()) {
      assertTrue(m.getMovie().getGenresList().contains("Horror") || m.getMovie().getGenresList().contains("Western"), m.toString());
    }
  }

  @Test
  void recommend_unknownUser_coldStartByPopularity_withinGenres() {
    RecommendResponse popular = recommend(987654321, 5, RecommendationFilter.getDefaultInstance());
    assertEquals(Strategy.STRATEGY_COLD_START_POPULAR, popular.getStrategy());
    int[] counts = bundle.popularity();
    for (int i = 1; i < 5; i++) {
      assertTrue(counts[bundle.catalog().indexOf(popular.getMovies(i).getMovie().getMovieId())]
          <= counts[bundle.catalog().indexOf(popular.getMovies(i - 1).getMovie().getMovieId())]);
    }
    RecommendResponse comedy = recommend(987654321, 5, RecommendationFilter.newBuilder().addGenres("Comedy").build());
    assertEquals(Strategy.STRATEGY_COLD_START_GENRE_POPULAR, comedy.getStrategy());
    assertTrue(comedy.getMoviesList().stream().allMatch(m -> m.getMovie().getGenresList().contains("Comedy")));
  }

  static RecommendResponse newUser(int age, Gender gender, RecommendationFilter filter) {
    return fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(987654321).setK(10).setFilter(filter)
        .setAttributes(UserAttributes.newBuilder().setAge(age).setGender(gender)).build());
  }

  @Test
  void recommend_unknownUserWithAgeAndGender_popularAmongTheirGroup_ranksAsTheTrainerCounted() {
    // The trainer kept the demographic cold start for this ml-100k model (it beat popularity on validation users).
    DemographicPopularity demographic = bundle.demographic();
    assertNotNull(demographic, "the ml-100k version carries popularity by age and gender");
    RecommendResponse young = newUser(19, Gender.GENDER_FEMALE, RecommendationFilter.getDefaultInstance());
    RecommendResponse older = newUser(52, Gender.GENDER_MALE, RecommendationFilter.getDefaultInstance());
    assertEquals(Strategy.STRATEGY_COLD_START_DEMOGRAPHIC, young.getStrategy());
    assertEquals(Strategy.STRATEGY_COLD_START_DEMOGRAPHIC, older.getStrategy());
    assertNotEquals(ids(young), ids(older), "two groups as far apart as these differ in their first ten");
    // The list is the group's scores, best first, as the trainer wrote them.
    float[] expected = new float[bundle.catalog().size()];
    demographic.score(DemographicGroups.membership(19, DemographicGroups.Gender.FEMALE, demographic.groupSizes()), expected);
    int[] order = java.util.stream.IntStream.range(0, expected.length).boxed()
        .sorted((a, b) -> Float.compare(expected[b], expected[a])).mapToInt(Integer::intValue).limit(10).toArray();
    assertEquals(java.util.Arrays.stream(order).mapToObj(m -> bundle.catalog().movieId(m)).toList(), ids(young));

    // Only one attribute: still by group (mixed over the unknown one); a genre filter still holds.
    assertEquals(Strategy.STRATEGY_COLD_START_DEMOGRAPHIC, newUser(0, Gender.GENDER_FEMALE, RecommendationFilter.getDefaultInstance()).getStrategy());
    RecommendResponse comedy = newUser(30, Gender.GENDER_UNSPECIFIED, RecommendationFilter.newBuilder().addGenres("Comedy").build());
    assertEquals(Strategy.STRATEGY_COLD_START_DEMOGRAPHIC, comedy.getStrategy());
    assertTrue(comedy.getMoviesList().stream().allMatch(m -> m.getMovie().getGenresList().contains("Comedy")));
    // Nothing stated: plain popularity, as before.
    assertEquals(Strategy.STRATEGY_COLD_START_POPULAR, newUser(0, Gender.GENDER_UNSPECIFIED, RecommendationFilter.getDefaultInstance()).getStrategy());
    // A known user is personalised whatever attributes come with the call.
    RecommendResponse known = fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(5)
        .setAttributes(UserAttributes.newBuilder().setAge(19).setGender(Gender.GENDER_FEMALE)).build());
    assertEquals(Strategy.STRATEGY_PERSONALIZED, known.getStrategy());
  }

  static java.util.List<Long> ids(RecommendResponse r) {
    return r.getMoviesList().stream().map(m -> m.getMovie().getMovieId()).toList();
  }

  @Test
  void recommend_diversity_spreadsGenres() {
    RecommendResponse plain = recommend(5, 10, RecommendationFilter.getDefaultInstance());
    RecommendResponse diverse = fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(5).setK(10).setDiversity(0.9).build());
    assertTrue(genreVariety(diverse) >= genreVariety(plain), genreVariety(diverse) + " vs " + genreVariety(plain));
    assertEquals(10, diverse.getMoviesCount());
    // An unknown user's popular list is re-ranked too (the request's diversity was ignored there).
    RecommendResponse coldPlain = recommend(5_000_000, 10, RecommendationFilter.getDefaultInstance());
    RecommendResponse coldDiverse = fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(5_000_000).setK(10).setDiversity(0.9).build());
    assertEquals(coldPlain.getStrategy(), coldDiverse.getStrategy());
    assertTrue(!ids(coldDiverse).equals(ids(coldPlain)) && genreVariety(coldDiverse) >= genreVariety(coldPlain),
        ids(coldDiverse) + " (" + genreVariety(coldDiverse) + " genres) vs " + ids(coldPlain) + " (" + genreVariety(coldPlain) + ")");
  }

  static int genreVariety(RecommendResponse r) {
    Set<String> genres = new HashSet<>();
    r.getMoviesList().forEach(m -> genres.addAll(m.getMovie().getGenresList()));
    return genres.size();
  }

  @Test
  void recommend_pinnedVersionNotLoaded_isNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(5).setPinnedVersion(42).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("42"));
    // The loaded version can be pinned.
    assertEquals(1, fixture.recommender().recommend(RecommendRequest.newBuilder().setUserId(1).setK(5).setPinnedVersion(1).build())
        .getServedBy().getVersion());
  }

  @Test
  void predict_usesTheSelectedModel_andDocumentedFallbacks() {
    long unknownMovie = 999_999_999L;
    PredictResponse known = fixture.recommender().predict(PredictRequest.newBuilder().setUserId(1).addMovieIds(1).addMovieIds(50)
        .addMovieIds(unknownMovie).build());
    assertEquals(bundle.spec().ratingModel(), known.getRatingModel());
    assertEquals(PredictionSource.PREDICTION_SOURCE_MODEL, known.getPredictions(0).getSource());
    assertEquals(bundle.ratingModel().predict(bundle.users().indexOf(1), bundle.catalog().indexOf(1)), known.getPredictions(0).getRating(), 1e-5);
    assertEquals(PredictionSource.PREDICTION_SOURCE_USER_BASELINE, known.getPredictions(2).getSource());
    assertFalse(known.getPredictions(2).hasMovie());

    PredictResponse stranger = fixture.recommender().predict(PredictRequest.newBuilder().setUserId(123456789).addMovieIds(1).addMovieIds(unknownMovie).build());
    assertEquals(PredictionSource.PREDICTION_SOURCE_MOVIE_BASELINE, stranger.getPredictions(0).getSource());
    assertEquals(PredictionSource.PREDICTION_SOURCE_GLOBAL_MEAN, stranger.getPredictions(1).getSource());
    for (var p : known.getPredictionsList()) {
      assertTrue(p.getRating() >= 1 && p.getRating() <= 5, "rating " + p.getRating());
    }
  }

  static RatingProfile profile(long... movieAndStarPairs) {
    RatingProfile.Builder b = RatingProfile.newBuilder();
    for (int i = 0; i < movieAndStarPairs.length; i += 2) {
      b.addRatings(MovieRating.newBuilder().setMovieId(movieAndStarPairs[i]).setRating(movieAndStarPairs[i + 1]));
    }
    return b.build();
  }

  @Test
  void cluster_knownUser_andNewUserFromRatings() {
    ClusterResponse known = fixture.recommender().cluster(ClusterRequest.newBuilder().setUserId(1).build());
    assertEquals(bundle.segmentation().users().k(), known.getDistancesCount());
    assertEquals(Strategy.STRATEGY_PERSONALIZED, known.getStrategy());
    int nearest = 0;
    for (int i = 1; i < known.getDistancesCount(); i++) {
      if (known.getDistances(i) < known.getDistances(nearest)) {
        nearest = i;
      }
    }
    assertEquals(nearest, known.getSegmentId());
    assertEquals(known.getSegmentId(), known.getProfile().getSegmentId());
    assertTrue(known.getProfile().getSize() > 0 && known.getProfile().getTopGenresCount() > 0 && known.getProfile().getMostRatedCount() > 0);

    ClusterResponse fresh = fixture.recommender().cluster(ClusterRequest.newBuilder().setRatings(profile(1, 5, 50, 4, 181, 5)).build());
    assertEquals(Strategy.STRATEGY_FOLD_IN, fresh.getStrategy());

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> fixture.recommender().cluster(ClusterRequest.newBuilder().setUserId(5_000_000).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void similarMovies_byIdAndByTitle_withApproximateAndUnknownTitles() {
    SimilarMoviesResponse byId = fixture.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(1).setK(10).build());
    assertEquals(TitleMatch.TITLE_MATCH_BY_ID, byId.getMatch());
    assertEquals(10, byId.getSimilarCount());
    assertTrue(byId.getSimilarList().stream().noneMatch(m -> m.getMovie().getMovieId() == 1));

    SimilarMoviesResponse byTitle = fixture.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("toy story").setK(5).build());
    assertEquals(1, byTitle.getMovie().getMovieId());
    assertEquals(TitleMatch.TITLE_MATCH_EXACT, byTitle.getMatch());
    assertEquals(byId.getSimilar(0).getMovie().getMovieId(), byTitle.getSimilar(0).getMovie().getMovieId());

    SimilarMoviesResponse typo = fixture.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("Toy Stroy").setK(5).build());
    assertEquals(1, typo.getMovie().getMovieId());
    assertEquals(TitleMatch.TITLE_MATCH_APPROXIMATE, typo.getMatch());

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> fixture.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("qqqq zzzz xxxx").setK(5).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void recommendForRatings_foldsIn_andExcludesTheRatedMovies() {
    // Loves three animated films: the list should lean towards Animation/Children.
    RatingProfile likes = profile(1, 5, 71, 5, 95, 5, 99, 5, 103, 5);
    RecommendForRatingsResponse r = fixture.recommender().recommendForRatings(
        RecommendForRatingsRequest.newBuilder().setProfile(likes).setK(20).build());
    assertEquals(Strategy.STRATEGY_FOLD_IN, r.getStrategy());
    assertEquals(20, r.getMoviesCount());
    Set<Long> rated = Set.of(1L, 71L, 95L, 99L, 103L);
    assertTrue(r.getMoviesList().stream().noneMatch(m -> rated.contains(m.getMovie().getMovieId())));
    assertTrue(r.getSegmentId() >= 0 && r.getSegmentId() < bundle.segmentation().users().k());
  }

  @Test
  void recommendForRatings_unknownMovie_isNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> fixture.recommender().recommendForRatings(
        RecommendForRatingsRequest.newBuilder().setProfile(profile(1, 5, 987654, 4)).setK(5).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("987654"));
  }

  static List<String> genres() {
    return bundle.catalog().genres();
  }
}
