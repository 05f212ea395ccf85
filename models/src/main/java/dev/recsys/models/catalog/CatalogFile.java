package dev.recsys.models.catalog;

import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.manifest.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * The catalogue's artifact file, {@code catalog.json}:
 *
 * <pre>{"genres": ["Action", ...], "movies": [{"id": 1, "title": "Toy Story", "year": 1995,
 * "genres": ["Adventure", ...]}, ...]}</pre>
 *
 * Movies appear in dense index order (ascending id).
 */
public final class CatalogFile {

  /** File name inside a model version. */
  public static final String NAME = "catalog.json";

  /** Manifest role. */
  public static final String ROLE = "catalog";

  record MovieEntry(long id, String title, int year, List<String> genres) {}

  record Content(List<String> genres, List<MovieEntry> movies) {}

  private CatalogFile() {}

  public static void write(Catalog catalog, Path file) throws IOException {
    List<MovieEntry> movies = new ArrayList<>(catalog.size());
    for (int i = 0; i < catalog.size(); i++) {
      movies.add(new MovieEntry(catalog.movieId(i), catalog.title(i), catalog.year(i), catalog.genresOf(i)));
    }
    Content content = new Content(catalog.genres(), movies);
    AtomicFiles.writeDurably(file, out -> Json.MAPPER.writer().without(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValue(out, content));
  }

  /** Largest catalogue read: about 10 million movies' titles and genres. */
  static final long MAX_BYTES = 2L << 30;

  public static Catalog read(Path file) throws IOException {
    dev.recsys.models.io.BoundedFiles.requireAtMost(file, MAX_BYTES, "catalogue");
    Content content;
    try (InputStream in = Files.newInputStream(file)) {
      content = Json.MAPPER.readValue(in, Content.class);
    } catch (JacksonException e) {
      throw new IOException("catalogue " + file + " is malformed: " + e.getOriginalMessage(), e);
    }
    if (content.genres() == null || content.movies() == null) {
      throw new IOException("catalogue " + file + " lacks genres or movies");
    }
    if (content.genres().contains(null)) {
      throw new IOException("catalogue " + file + " has a null genre at position " + content.genres().indexOf(null));
    }
    int n = content.movies().size();
    long[] ids = new long[n];
    String[] titles = new String[n];
    int[] years = new int[n];
    long[] masks = new long[n];
    Catalog vocabulary = new Catalog(new long[0], new String[0], new int[0], new long[0], content.genres());
    for (int i = 0; i < n; i++) {
      MovieEntry m = content.movies().get(i);
      if (m == null) {
        throw new IOException("catalogue " + file + " has a null movie at position " + i);
      }
      ids[i] = m.id();
      titles[i] = m.title() == null ? "" : m.title();
      years[i] = m.year();
      for (String g : m.genres() == null ? List.<String>of() : m.genres()) {
        int gi = vocabulary.genreIndex(g);
        if (gi < 0) {
          throw new IOException("catalogue " + file + ": movie " + m.id() + " has unknown genre " + g);
        }
        masks[i] |= 1L << gi;
      }
    }
    try {
      return new Catalog(ids, titles, years, masks, content.genres());
    } catch (IllegalArgumentException e) {
      throw new IOException("catalogue " + file + " is inconsistent: " + e.getMessage(), e);
    }
  }
}
