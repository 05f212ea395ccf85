package dev.recsys.server.rpc;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.proto.v1.ClusterRequest;
import dev.recsys.proto.v1.ClusterResponse;
import dev.recsys.proto.v1.GenreShare;
import dev.recsys.proto.v1.Movie;
import dev.recsys.proto.v1.PredictRequest;
import dev.recsys.proto.v1.PredictResponse;
import dev.recsys.proto.v1.Prediction;
import dev.recsys.proto.v1.PredictionSource;
import dev.recsys.proto.v1.RecommendForRatingsRequest;
import dev.recsys.proto.v1.RecommendForRatingsResponse;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.RecommendResponse;
import dev.recsys.proto.v1.RecommenderGrpc;
import dev.recsys.proto.v1.SegmentProfile;
import dev.recsys.proto.v1.SimilarMoviesRequest;
import dev.recsys.proto.v1.SimilarMoviesResponse;
import dev.recsys.proto.v1.Strategy;
import dev.recsys.proto.v1.TitleMatch;
import dev.recsys.server.cache.ResultCache;
import dev.recsys.server.engine.ModelEngine;
import dev.recsys.server.engine.Types;
import dev.recsys.server.metrics.ServerMetrics;
import dev.recsys.server.serving.Lease;
import dev.recsys.server.serving.ModelManager;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/** The {@code Recommender} service: validation, routing to a version, engine call, response. */
public final class RecommenderService extends RecommenderGrpc.RecommenderImplBase {

  /** Predictions computed between two cancellation checks (a forest prediction takes tens of µs). */
  static final int PREDICT_CHUNK = 100;

  /** Everything a cached answer depends on; the route too, as the answer names it ({@code served_by}). */
  private record RecommendKey(long version, String route, long userId, Types.Attributes attributes, int k, long genres, List<Long> excluded,
      boolean includeRated, double diversity) implements ResultCache.KeyBytes {

    /** A boxed id and its list slot: up to 10,000 exclusions make a key of a quarter of a megabyte. */
    @Override
    public int keyBytes() {
      return 24 * excluded.size();
    }
  }

  private final ModelManager models;
  private final String modelName;
  private final ResultCache<RecommendResponse> results;
  private final ServerMetrics metrics;

  public RecommenderService(ModelManager models, String modelName, ResultCache<RecommendResponse> results, ServerMetrics metrics) {
    this.models = models;
    this.modelName = modelName;
    this.results = results;
    this.metrics = metrics;
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> observer) {
    Calls.unary(observer, () -> {
      Limits.positive("user_id", request.getUserId());
      Limits.range("k", request.getK(), 1, Limits.MAX_K);
      double diversity = Limits.diversity(request.getDiversity());
      Types.Attributes attributes = Limits.attributes(request.hasAttributes(), request.getAttributes());
      Long pinned = Limits.pinned(request.hasPinnedVersion(), request.getPinnedVersion());
      try (Lease lease = models.acquire(pinned, request.getUserId())) {
        ModelEngine engine = lease.engine();
        Types.Filter filter = Limits.filter(request.getFilter(), engine.catalog());
        long deadline = Calls.deadlineNanos();
        RecommendResponse response = results.get(() -> new RecommendKey(lease.version(), lease.route(), request.getUserId(), attributes,
            request.getK(), filter.genreMask(), request.getFilter().getExcludeMovieIdsList(), filter.includeRated(), diversity), () -> {
          try {
            Types.Recommendation r = engine.recommend(request.getUserId(), attributes, request.getK(), filter, diversity, deadline);
            return RecommendResponse.newBuilder()
                .addAllMovies(ProtoMapping.scored(ProtoMapping.movies(engine.catalog()), r.movies()))
                .setStrategy(ProtoMapping.strategy(r.strategy()))
                .setServedBy(ProtoMapping.servedBy(modelName, lease.version(), lease.route()))
                .build();
          } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new WrappedCheckedException(e);
          }
        }, deadline);
        metrics.answered("Recommend", lease.version(), lease.route());
        return response;
      } catch (WrappedCheckedException e) {
        throw e.cause;
      }
    });
  }

  /** Carries a checked exception out of a cache loader. */
  private static final class WrappedCheckedException extends RuntimeException {
    final Exception cause;

    WrappedCheckedException(Exception cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }

  @Override
  public void recommendForRatings(RecommendForRatingsRequest request, StreamObserver<RecommendForRatingsResponse> observer) {
    Calls.unary(observer, () -> {
      Limits.range("k", request.getK(), 1, Limits.MAX_K);
      double diversity = Limits.diversity(request.getDiversity());
      Long pinned = Limits.pinned(request.hasPinnedVersion(), request.getPinnedVersion());
      try (Lease lease = models.acquire(pinned, RoutingKeys.of(request.getProfile().toByteArray()))) {
        ModelEngine engine = lease.engine();
        Types.Profile profile = Limits.profile("profile", request.getProfile(), engine.catalog());
        Types.Filter filter = Limits.filter(request.getFilter(), engine.catalog());
        Types.Recommendation r = engine.recommendForRatings(profile, request.getK(), filter, diversity, Calls.deadlineNanos());
        Types.Segment segment = engine.cluster(profile);
        metrics.answered("RecommendForRatings", lease.version(), lease.route());
        return RecommendForRatingsResponse.newBuilder()
            .addAllMovies(ProtoMapping.scored(ProtoMapping.movies(engine.catalog()), r.movies()))
            .setStrategy(ProtoMapping.strategy(r.strategy()))
            .setServedBy(ProtoMapping.servedBy(modelName, lease.version(), lease.route()))
            .setSegmentId(segment.segment())
            .build();
      }
    });
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    Calls.unary(observer, () -> {
      Limits.positive("user_id", request.getUserId());
      Limits.range("movie_ids", request.getMovieIdsCount(), 1, Limits.MAX_PREDICT_MOVIES);
      long[] ids = request.getMovieIdsList().stream().mapToLong(Long::longValue).toArray();
      for (int i = 0; i < ids.length; i++) {
        Limits.positive("movie_ids[" + i + "]", ids[i]);
      }
      Long pinned = Limits.pinned(request.hasPinnedVersion(), request.getPinnedVersion());
      try (Lease lease = models.acquire(pinned, request.getUserId())) {
        ModelEngine engine = lease.engine();
        PredictResponse.Builder out = PredictResponse.newBuilder()
            .setRatingModel(engine.bundle().spec().ratingModel())
            .setServedBy(ProtoMapping.servedBy(modelName, lease.version(), lease.route()));
        IntFunction<Movie> movies = ProtoMapping.movies(engine.catalog());
        for (int from = 0; from < ids.length; from += PREDICT_CHUNK) {
          Calls.stopIfCancelled();
          for (Types.Prediction p : engine.predict(request.getUserId(), Arrays.copyOfRange(ids, from, Math.min(ids.length, from + PREDICT_CHUNK)))) {
            Prediction.Builder b = Prediction.newBuilder().setMovieId(p.movieId()).setRating(p.rating()).setSource(source(p.source()));
            if (p.movie() >= 0) {
              b.setMovie(movies.apply(p.movie()));
            }
            out.addPredictions(b);
          }
        }
        metrics.answered("Predict", lease.version(), lease.route());
        return out.build();
      }
    });
  }

  private static PredictionSource source(Types.Source s) {
    return switch (s) {
      case MODEL -> PredictionSource.PREDICTION_SOURCE_MODEL;
      case MOVIE_BASELINE -> PredictionSource.PREDICTION_SOURCE_MOVIE_BASELINE;
      case USER_BASELINE -> PredictionSource.PREDICTION_SOURCE_USER_BASELINE;
      case GLOBAL_MEAN -> PredictionSource.PREDICTION_SOURCE_GLOBAL_MEAN;
    };
  }

  @Override
  public void cluster(ClusterRequest request, StreamObserver<ClusterResponse> observer) {
    Calls.unary(observer, () -> {
      Long pinned = Limits.pinned(request.hasPinnedVersion(), request.getPinnedVersion());
      long routing = switch (request.getSubjectCase()) {
        case USER_ID -> {
          Limits.positive("user_id", request.getUserId());
          yield request.getUserId();
        }
        case RATINGS -> RoutingKeys.of(request.getRatings().toByteArray());
        case SUBJECT_NOT_SET -> throw Limits.invalid("subject", "nothing", "must be a user_id or ratings");
      };
      try (Lease lease = models.acquire(pinned, routing)) {
        ModelEngine engine = lease.engine();
        Types.Segment s = request.hasRatings()
            ? engine.cluster(Limits.profile("ratings", request.getRatings(), engine.catalog()))
            : engine.cluster(request.getUserId());
        metrics.answered("Cluster", lease.version(), lease.route());
        ClusterResponse.Builder out = ClusterResponse.newBuilder()
            .setSegmentId(s.segment())
            .setProfile(profile(engine, s.segment()))
            .setStrategy(s.foldedIn() ? Strategy.STRATEGY_FOLD_IN : Strategy.STRATEGY_PERSONALIZED)
            .setServedBy(ProtoMapping.servedBy(modelName, lease.version(), lease.route()));
        for (double d : s.distances()) {
          out.addDistances(d);
        }
        return out.build();
      }
    });
  }

  private static SegmentProfile profile(ModelEngine engine, int segment) {
    var p = engine.bundle().segmentation().profiles().get(segment);
    Catalog c = engine.catalog();
    SegmentProfile.Builder b = SegmentProfile.newBuilder().setSegmentId(p.id()).setSize(p.size()).setMeanRating(p.meanRating());
    p.topGenres().forEach(g -> b.addTopGenres(GenreShare.newBuilder().setGenre(g.genre()).setShare(g.share())));
    IntFunction<Movie> movies = ProtoMapping.movies(c);
    p.mostRated().forEach(m -> b.addMostRated(movies.apply(m)));
    return b.build();
  }

  @Override
  public void similarMovies(SimilarMoviesRequest request, StreamObserver<SimilarMoviesResponse> observer) {
    Calls.unary(observer, () -> {
      Limits.range("k", request.getK(), 1, Limits.MAX_SIMILAR_K);
      Long pinned = Limits.pinned(request.hasPinnedVersion(), request.getPinnedVersion());
      switch (request.getQueryCase()) {
        case MOVIE_ID -> Limits.positive("movie_id", request.getMovieId());
        case TITLE -> Limits.title(request.getTitle());
        case QUERY_NOT_SET -> throw Limits.invalid("query", "nothing", "must be a movie_id or a title");
      }
      long routing = request.hasMovieId() ? RoutingKeys.ofMovie(request.getMovieId()) : RoutingKeys.ofTitle(request.getTitle());
      try (Lease lease = models.acquire(pinned, routing)) {
        ModelEngine engine = lease.engine();
        Types.Similar s = request.hasMovieId()
            ? engine.similar(request.getMovieId(), request.getK())
            : engine.similar(request.getTitle(), request.getK(), Calls.deadlineNanos());
        metrics.answered("SimilarMovies", lease.version(), lease.route());
        IntFunction<Movie> movies = ProtoMapping.movies(engine.catalog());
        SimilarMoviesResponse.Builder out = SimilarMoviesResponse.newBuilder()
            .setMovie(movies.apply(s.movie()))
            .setMatch(s.byId() ? TitleMatch.TITLE_MATCH_BY_ID : s.exact() ? TitleMatch.TITLE_MATCH_EXACT : TitleMatch.TITLE_MATCH_APPROXIMATE)
            .addAllSimilar(ProtoMapping.scored(movies, s.similar()))
            .setServedBy(ProtoMapping.servedBy(modelName, lease.version(), lease.route()));
        s.candidates().forEach(m -> out.addCandidates(movies.apply(m)));
        return out.build();
      }
    });
  }
}
