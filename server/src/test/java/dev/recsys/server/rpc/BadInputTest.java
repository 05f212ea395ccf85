package dev.recsys.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.MovieRating;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.RatingProfile;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendationFilter;
import dev.recsys.proto.v1.RollbackRequest;
import dev.recsys.proto.v1.SampleUserIdsRequest;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RPC against bad input: each gets its documented status and a message, and the server stays healthy. */
class BadInputTest {

  @TempDir static Path dir;
  static ServerFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ServerFixture.inProcess(ServerFixture.config(TrainedRegistry.copyInto(dir.resolve("registry")), -1, false, 64)).awaitServing(1);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  interface Call {
    void run(ServerFixture f);
  }

  static Arguments bad(String name, Status.Code code, String fragment, Call call) {
    return Arguments.of(name, code, fragment, call);
  }

  static RatingProfile ratings(double... movieStarPairs) {
    RatingProfile.Builder b = RatingProfile.newBuilder();
    for (int i = 0; i < movieStarPairs.length; i += 2) {
      b.addRatings(MovieRating.newBuilder().setMovieId((long) movieStarPairs[i]).setRating(movieStarPairs[i + 1]));
    }
    return b.build();
  }

  static RecommendRequest.Builder rec() {
    return RecommendRequest.newBuilder().setUserId(1).setK(10);
  }

  static void recommend(RecommendRequest.Builder b) {
    fixture.recommender().recommend(b.build());
  }

  static Stream<Arguments> cases() {
    Consumer<RatingProfile> forRatings = p -> fixture.recommender().recommendForRatings(RecommendForRatingsRequest.newBuilder().setProfile(p).setK(5).build());
    RatingProfile.Builder huge = RatingProfile.newBuilder();
    LongStream.rangeClosed(1, 1001).forEach(i -> huge.addRatings(MovieRating.newBuilder().setMovieId(i).setRating(4)));
    PredictRequest.Builder manyMovies = PredictRequest.newBuilder().setUserId(1);
    LongStream.rangeClosed(1, 1001).forEach(manyMovies::addMovieIds);
    RecommendationFilter.Builder manyExcluded = RecommendationFilter.newBuilder();
    LongStream.rangeClosed(1, 10_001).forEach(manyExcluded::addExcludeMovieIds);
    return Stream.of(
        bad("recommend: user missing", Status.Code.INVALID_ARGUMENT, "user_id", f -> recommend(rec().clearUserId())),
        bad("recommend: negative user", Status.Code.INVALID_ARGUMENT, "user_id", f -> recommend(rec().setUserId(-5))),
        bad("recommend: k zero", Status.Code.INVALID_ARGUMENT, "k must be in [1, 500], got 0", f -> recommend(rec().setK(0))),
        bad("recommend: k negative", Status.Code.INVALID_ARGUMENT, "got -3", f -> recommend(rec().setK(-3))),
        bad("recommend: k huge", Status.Code.INVALID_ARGUMENT, "got 2000000000", f -> recommend(rec().setK(2_000_000_000))),
        bad("recommend: diversity NaN", Status.Code.INVALID_ARGUMENT, "diversity", f -> recommend(rec().setDiversity(Double.NaN))),
        bad("recommend: diversity above 1", Status.Code.INVALID_ARGUMENT, "diversity", f -> recommend(rec().setDiversity(1.5))),
        bad("recommend: age 300", Status.Code.INVALID_ARGUMENT, "attributes.age must be in [1, 120], got 300",
            f -> recommend(rec().setAttributes(dev.recsys.proto.v1.UserAttributes.newBuilder().setAge(300)))),
        bad("recommend: negative age", Status.Code.INVALID_ARGUMENT, "got -4",
            f -> recommend(rec().setAttributes(dev.recsys.proto.v1.UserAttributes.newBuilder().setAge(-4)))),
        bad("recommend: gender out of the enum", Status.Code.INVALID_ARGUMENT, "attributes.gender",
            f -> recommend(rec().setAttributes(dev.recsys.proto.v1.UserAttributes.newBuilder().setGenderValue(9)))),
        bad("recommend: unknown genre", Status.Code.INVALID_ARGUMENT, "Cartoon", f -> recommend(rec().setFilter(RecommendationFilter.newBuilder().addGenres("Cartoon")))),
        bad("recommend: too many exclusions", Status.Code.INVALID_ARGUMENT, "at most 10000", f -> recommend(rec().setFilter(manyExcluded))),
        bad("recommend: negative exclusion", Status.Code.INVALID_ARGUMENT, "exclude_movie_ids", f -> recommend(rec().setFilter(RecommendationFilter.newBuilder().addExcludeMovieIds(-1)))),
        bad("recommend: pinned version 0", Status.Code.INVALID_ARGUMENT, "pinned_version", f -> recommend(rec().setPinnedVersion(0))),
        bad("recommend: pinned version missing", Status.Code.NOT_FOUND, "version 77", f -> recommend(rec().setPinnedVersion(77))),
        bad("predict: no movies", Status.Code.INVALID_ARGUMENT, "movie_ids", f -> f.recommender().predict(PredictRequest.newBuilder().setUserId(1).build())),
        bad("predict: too many movies", Status.Code.INVALID_ARGUMENT, "1001", f -> f.recommender().predict(manyMovies.build())),
        bad("predict: negative movie", Status.Code.INVALID_ARGUMENT, "movie_ids[1]", f -> f.recommender().predict(PredictRequest.newBuilder().setUserId(1).addMovieIds(1).addMovieIds(-2).build())),
        bad("predict: user missing", Status.Code.INVALID_ARGUMENT, "user_id", f -> f.recommender().predict(PredictRequest.newBuilder().addMovieIds(1).build())),
        bad("cluster: no subject", Status.Code.INVALID_ARGUMENT, "subject", f -> f.recommender().cluster(ClusterRequest.getDefaultInstance())),
        bad("cluster: unknown user", Status.Code.NOT_FOUND, "unknown", f -> f.recommender().cluster(ClusterRequest.newBuilder().setUserId(44_444_444).build())),
        bad("cluster: empty ratings", Status.Code.INVALID_ARGUMENT, "ratings.ratings", f -> f.recommender().cluster(ClusterRequest.newBuilder().setRatings(RatingProfile.getDefaultInstance()).build())),
        bad("ratings: NaN", Status.Code.INVALID_ARGUMENT, "rating", f -> forRatings.accept(ratings(1, Double.NaN))),
        bad("ratings: above 5", Status.Code.INVALID_ARGUMENT, "must be in [0.5, 5.0]", f -> forRatings.accept(ratings(1, 7))),
        bad("ratings: zero stars", Status.Code.INVALID_ARGUMENT, "rating", f -> forRatings.accept(ratings(1, 0))),
        bad("ratings: infinite", Status.Code.INVALID_ARGUMENT, "rating", f -> forRatings.accept(ratings(1, Double.POSITIVE_INFINITY))),
        bad("ratings: duplicate movie", Status.Code.INVALID_ARGUMENT, "at most once", f -> forRatings.accept(ratings(1, 4, 1, 5))),
        bad("ratings: unknown movie", Status.Code.NOT_FOUND, "123456789", f -> forRatings.accept(ratings(123456789, 4))),
        bad("ratings: negative movie", Status.Code.INVALID_ARGUMENT, "movie_id", f -> forRatings.accept(ratings(-1, 4))),
        bad("ratings: too many", Status.Code.INVALID_ARGUMENT, "1 to 1000", f -> forRatings.accept(huge.build())),
        bad("ratings: k zero", Status.Code.INVALID_ARGUMENT, "k", f -> f.recommender().recommendForRatings(RecommendForRatingsRequest.newBuilder().setProfile(ratings(1, 4)).build())),
        bad("similar: no query", Status.Code.INVALID_ARGUMENT, "query", f -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setK(5).build())),
        bad("similar: empty title", Status.Code.INVALID_ARGUMENT, "title", f -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("  ").setK(5).build())),
        bad("similar: huge title", Status.Code.INVALID_ARGUMENT, "200", f -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setTitle("x".repeat(5000)).setK(5).build())),
        bad("similar: k above 50", Status.Code.INVALID_ARGUMENT, "[1, 50]", f -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(1).setK(51).build())),
        bad("similar: unknown movie", Status.Code.NOT_FOUND, "999999", f -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(999999).setK(5).build())),
        bad("similar: negative movie", Status.Code.INVALID_ARGUMENT, "movie_id", f -> f.recommender().similarMovies(SimilarMoviesRequest.newBuilder().setMovieId(-9).setK(5).build())),
        bad("admin: promote missing version", Status.Code.NOT_FOUND, "version 12", f -> f.admin().promote(PromoteRequest.newBuilder().setAlias("production").setVersion(12).build())),
        bad("admin: promote no alias", Status.Code.INVALID_ARGUMENT, "alias", f -> f.admin().promote(PromoteRequest.newBuilder().setVersion(1).build())),
        bad("admin: promote bad alias", Status.Code.INVALID_ARGUMENT, "alias name", f -> f.admin().promote(PromoteRequest.newBuilder().setAlias("../prod").setVersion(1).build())),
        bad("admin: canary weight 0", Status.Code.INVALID_ARGUMENT, "weight", f -> f.admin().promote(PromoteRequest.newBuilder().setAlias("canary").setVersion(1).setWeight(0).build())),
        bad("admin: rollback with nothing before", Status.Code.FAILED_PRECONDITION, "roll back", f -> f.admin().rollback(RollbackRequest.getDefaultInstance())),
        bad("admin: bad model name", Status.Code.INVALID_ARGUMENT, "model name", f -> f.admin().rollback(RollbackRequest.newBuilder().setModelName("../../etc").build())),
        bad("admin: sample zero users", Status.Code.INVALID_ARGUMENT, "count", f -> f.admin().sampleUserIds(SampleUserIdsRequest.getDefaultInstance())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInput_getsItsStatusAndAMessage(String name, Status.Code code, String fragment, Call call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call.run(fixture));
    assertEquals(code, e.getStatus().getCode(), name + ": " + e.getStatus());
    String description = e.getStatus().getDescription();
    assertTrue(description != null && description.contains(fragment), name + ": '" + description + "' lacks '" + fragment + "'");
    assertTrue(!description.contains("Exception") && !description.contains("\tat "), "no internals in " + description);
    // Each bad call, whichever ran before it, leaves the server answering good ones.
    assertEquals(10, fixture.recommender().recommend(rec().build()).getMoviesCount(), "still serving after " + name);
  }
}
