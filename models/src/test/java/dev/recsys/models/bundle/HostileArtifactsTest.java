package dev.recsys.models.bundle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.catalog.CatalogFile;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.profiles.UserRatings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays and files that pass the cheap checks (lengths, the last offset) but would send a reader out
 * of bounds or into a null: each is refused by the check that names it, so a damaged or hostile
 * version is refused with a reason instead of an index error.
 */
class HostileArtifactsTest {

  @Test
  void offsetsThatDoNotStartAtZero_areRefused() {
    IllegalArgumentException neighbours = assertThrows(IllegalArgumentException.class,
        () -> new ItemNeighbors(new int[] {-1, 0}, new int[0], new float[0]));
    assertTrue(neighbours.getMessage().contains("offsets must run from 0"), neighbours.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ItemNeighbors(new int[0], new int[0], new float[0]), "no offsets at all");
    IllegalArgumentException ratings = assertThrows(IllegalArgumentException.class,
        () -> new UserRatings(new long[] {7}, new int[] {-1, 0}, new int[0], new float[0]));
    assertTrue(ratings.getMessage().contains("offsets must run from 0"), ratings.getMessage());
  }

  @Test
  void aCatalogueWithNullEntries_isRefusedNamingThePosition(@TempDir Path dir) throws IOException {
    Path movies = dir.resolve("movies.json");
    Files.writeString(movies, "{\"genres\": [\"Drama\"], \"movies\": [{\"id\": 1, \"title\": \"A\", \"year\": 1999, \"genres\": []}, null]}");
    IOException e = assertThrows(IOException.class, () -> CatalogFile.read(movies));
    assertTrue(e.getMessage().contains("null movie at position 1"), e.getMessage());
    Path genres = dir.resolve("genres.json");
    Files.writeString(genres, "{\"genres\": [\"Drama\", null], \"movies\": []}");
    e = assertThrows(IOException.class, () -> CatalogFile.read(genres));
    assertTrue(e.getMessage().contains("null genre at position 1"), e.getMessage());
  }
}
