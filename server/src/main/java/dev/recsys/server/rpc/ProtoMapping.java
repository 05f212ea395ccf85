package dev.recsys.server.rpc;

import com.google.protobuf.Timestamp;
import dev.recsys.models.catalog.Catalog;
import dev.recsys.proto.v1.Movie;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.proto.v1.ServedBy;
import dev.recsys.proto.v1.Strategy;
import dev.recsys.server.engine.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Engine types to protobuf messages. */
final class ProtoMapping {

  private ProtoMapping() {}

  static Movie movie(Catalog c, int index) {
    return Movie.newBuilder()
        .setMovieId(c.movieId(index))
        .setTitle(c.title(index))
        .setYear(c.year(index))
        .addAllGenres(c.genresOf(index))
        .build();
  }

  static List<ScoredMovie> scored(Catalog c, List<Types.Scored> list) {
    List<ScoredMovie> out = new ArrayList<>(list.size());
    int rank = 1;
    for (Types.Scored s : list) {
      out.add(ScoredMovie.newBuilder().setMovie(movie(c, s.movie())).setScore(s.score()).setRank(rank++).build());
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
    };
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
