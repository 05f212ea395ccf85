package dev.recsys.trainer.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes tiny MovieLens data sets in each official layout, with the same logical content including
 * deliberate defects, so that one test body checks every reader.
 *
 * <p>Content: movies 1 "Alpha (1999)" Action|Comedy, 2 "Beta, The (2001)" Drama, 3 "Gamma" with no
 * year and no genres. Ratings kept after cleaning: (1,1)=5.0 (a duplicate with a later timestamp
 * replaces 4.0), (1,2)=3.0, (2,3)=2.0. Dropped: 1 duplicate, 1 unknown movie, 2 out of range,
 * 2 malformed, 1 invalid id.
 */
public final class SyntheticFiles {

  /** The rows in field order user, movie, rating, timestamp; short rows are malformed on purpose. */
  static final List<String[]> RATINGS =
      List.of(
          new String[] {"1", "1", "4", "100"},
          new String[] {"1", "2", "3", "101"},
          new String[] {"1", "1", "5", "200"},
          new String[] {"2", "3", "2", "150"},
          new String[] {"2", "9", "4", "150"},
          new String[] {"3", "1", "7", "100"},
          new String[] {"x", "y"},
          new String[] {"4", "2", "abc", "100"},
          new String[] {"-1", "2", "3", "100"},
          new String[] {"3", "2", "NaN", "1"});

  private SyntheticFiles() {}

  /** ml-latest-small layout in {@code dir}. */
  public static Path csv(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> ratings = new ArrayList<>(List.of("userId,movieId,rating,timestamp"));
    RATINGS.forEach(r -> ratings.add(String.join(",", r)));
    // CRLF line endings, as some tools write them.
    Files.writeString(dir.resolve("ratings.csv"), String.join("\r\n", ratings) + "\r\n");
    Files.writeString(
        dir.resolve("movies.csv"),
        "movieId,title,genres\n1,Alpha (1999),Action|Comedy\n2,\"Beta, The (2001)\",Drama\n3,Gamma,(no genres listed)\n");
    return dir;
  }

  /** ml-100k layout in {@code dir} (ISO-8859-1 text, 19 genre flags). */
  public static Path ml100k(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> ratings = new ArrayList<>();
    RATINGS.forEach(r -> ratings.add(String.join("\t", r)));
    Files.writeString(dir.resolve("u.data"), String.join("\n", ratings) + "\n");
    String genres = "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|6\n"
        + "Documentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\n"
        + "Romance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n";
    Files.writeString(dir.resolve("u.genre"), genres);
    Files.write(
        dir.resolve("u.item"),
        (item(1, "Alpha (1999)", 1, 5) + item(2, "Beta, The (2001)", 8) + item(3, "Gamma", 0))
            .getBytes(StandardCharsets.ISO_8859_1));
    Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\nbroken line\n");
    return dir;
  }

  private static String item(int id, String title, int... flags) {
    int[] f = new int[19];
    for (int g : flags) {
      f[g] = 1;
    }
    StringBuilder sb = new StringBuilder().append(id).append('|').append(title).append("|01-Jan-1999||http://x");
    for (int v : f) {
      sb.append('|').append(v);
    }
    return sb.append('\n').toString();
  }

  /** ml-1m / ml-10m layout ({@code ::}) in {@code dir}; with demographics when {@code users}. */
  public static Path dat(Path dir, boolean users) throws IOException {
    Files.createDirectories(dir);
    List<String> ratings = new ArrayList<>();
    RATINGS.forEach(r -> ratings.add(String.join("::", r)));
    Files.writeString(dir.resolve("ratings.dat"), String.join("\n", ratings) + "\n");
    Files.write(
        dir.resolve("movies.dat"),
        "1::Alpha (1999)::Action|Comedy\n2::Beta, The (2001)::Drama\n3::Gamma::(no genres listed)\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    if (users) {
      Files.writeString(dir.resolve("users.dat"), "1::M::25::12::85711\n2::F::50::1::94043\n");
    }
    return dir;
  }

  /** Zips {@code dir} into {@code zip}, entries under {@code topFolder/}. */
  public static Path zip(Path dir, Path zip, String topFolder) throws IOException {
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out);
        Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        z.putNextEntry(new ZipEntry(topFolder + "/" + f.getFileName()));
        Files.copy(f, z);
        z.closeEntry();
      }
    }
    return zip;
  }
}
