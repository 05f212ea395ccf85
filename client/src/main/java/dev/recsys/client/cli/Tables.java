package dev.recsys.client.cli;

import dev.recsys.models.console.TextTable;
import dev.recsys.proto.v1.Movie;
import dev.recsys.proto.v1.ScoredMovie;
import dev.recsys.proto.v1.ServedBy;
import java.util.List;
import java.util.Locale;

/** Tables of movies as people read them. */
final class Tables {

  private Tables() {}

  static String title(Movie m) {
    return m.getYear() > 0 ? m.getTitle() + " (" + m.getYear() + ")" : m.getTitle();
  }

  static String scored(List<ScoredMovie> movies, String scoreName) {
    TextTable t = new TextTable("#", "movie id", "title", "genres", scoreName);
    for (ScoredMovie s : movies) {
      t.row(s.getRank(), s.getMovie().getMovieId(), title(s.getMovie()), String.join("|", s.getMovie().getGenresList()),
          String.format(Locale.ROOT, "%.4f", s.getScore()));
    }
    return t.render();
  }

  static String served(ServedBy s) {
    return s.getModelName() + " version " + s.getVersion() + " (" + s.getRoute() + ")";
  }

  /** "PERSONALIZED" from STRATEGY_PERSONALIZED. */
  static String name(Enum<?> value, String prefix) {
    return value.name().replaceFirst("^" + prefix, "").toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
