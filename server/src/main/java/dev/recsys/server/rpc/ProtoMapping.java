package dev.recsys.server.rpc;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.recsys.models.catalog.Catalog;
import dev.recsys.proto.v1.Movie;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.proto.v1.ServedBy;
import dev.recsys.proto.v1.Strategy;
import dev.recsys.server.cache.Caches;
import dev.recsys.server.engine.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Engine types to protobuf messages. */
final class ProtoMapping {

  /**
   * Built {@link Movie} messages per catalogue (weakly held: a retired version's go with it), made
   * on first use. Their strings are stored as UTF-8 bytes and their sizes memoised, so answering
   * does not encode the same titles again on every call (it showed at 5% of a saturated server).
   */
  private static final LoadingCache<Catalog, Movie[]> MOVIES = Caches.newBuilder().weakKeys().build(c -> new Movie[c.size()]);

  private ProtoMapping() {}

  /** The message of each movie of {@code c} by index, the catalogue's messages looked up once per answer. */
  static IntFunction<Movie> movies(Catalog c) {
    Movie[] movies = MOVIES.get(c);
    return index -> movie(c, movies, index);
  }

  private static Movie movie(Catalog c, Movie[] movies, int index) {
    Movie m = movies[index];
    if (m == null) {
      Movie.Builder b = Movie.newBuilder()
          .setMovieId(c.movieId(index))
          .setTitleBytes(ByteString.copyFromUtf8(c.title(index)))
          .setYear(c.year(index));
      for (String genre : c.genresOf(index)) {
        b.addGenresBytes(ByteString.copyFromUtf8(genre));
      }
      m = b.build();
      m.getSerializedSize();
      // A benign race: two threads may build the same immutable message; either may be kept.
      movies[index] = m;
    }
    return m;
  }

  static List<ScoredMovie> scored(IntFunction<Movie> movies, List<Types.Scored> list) {
    List<ScoredMovie> out = new ArrayList<>(list.size());
    int rank = 1;
    for (Types.Scored s : list) {
      out.add(ScoredMovie.newBuilder().setMovie(movies.apply(s.movie())).setScore(s.score()).setRank(rank++).build());
    }
    return out;
  }

  static ServedBy servedBy(String model, long version, String route) {
    return ServedBy.newBuilder().setModelName(model).setVersion(version).setRoute(route).build();
  }

  static Strategy strategy(Types.Strategy s) {
    return switch (s) {
      case PERSONALIZED -> Strategy.STRATEGY_PERSONALIZED;
      case COLD_START_POPULAR -> Strategy.STRATEGY_COLD_START_POPULAR;
      case COLD_START_GENRE_POPULAR -> Strategy.STRATEGY_COLD_START_GENRE_POPULAR;
      case FOLD_IN -> Strategy.STRATEGY_FOLD_IN;
      case COLD_START_DEMOGRAPHIC -> Strategy.STRATEGY_COLD_START_DEMOGRAPHIC;
    };
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
