package dev.recsys.models.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.embedding.FactorLikeEmbeddings;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.RankingModel;
import dev.recsys.models.scoring.TopK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieIndexTest {

  static final int MOVIES = 20_000;
  static final int DIM = 16;

  @TempDir static Path temp;
  static EmbeddingTables tables;
  static long[] genreMasks;
  static DotScorer exact;
  static RankingModel ranking;
  static Path version;
  static List<String> listed;
  static MovieIndex.Settings settings;

  /** A version folder holding the index files under their artifact names, as the publisher lays them out. */
  @BeforeAll
  static void buildIndex() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    float[] biases = new float[MOVIES];
    for (int m = 0; m < MOVIES; m++) {
      biases[m] = (float) (0.05 * random.nextGaussian());
    }
    tables = FactorLikeEmbeddings.generate(400, MOVIES, DIM, new float[400], biases, 0, random);
    genreMasks = new long[MOVIES];
    for (int m = 0; m < MOVIES; m++) {
      genreMasks[m] = 1L << random.nextInt(18) | 1L << random.nextInt(18);
    }
    ranking = RankingModel.of(tables);
    exact = ranking.movies();
    Path scratch = Files.createDirectory(temp.resolve("scratch"));
    MovieIndex.build(tables, scratch, Progress.silent("index"));
    settings = MovieIndex.tune(scratch, ranking, genreMasks, 1);
    version = Files.createDirectory(temp.resolve("version"));
    List<String> names = new ArrayList<>();
    for (String name : MovieIndex.indexFiles(scratch)) {
      Files.copy(scratch.resolve(name), version.resolve(MovieIndex.FILE_PREFIX + name));
      names.add(MovieIndex.FILE_PREFIX + name);
    }
    Files.writeString(version.resolve("ranking.safetensors"), "another artifact");
    names.add("ranking.safetensors");
    listed = List.copyOf(names);
  }

  @Test
  void tunedCandidates_reachTheTargetRecall_onUsersNotTunedOn() throws IOException {
    assertTrue(settings.tuningRecallAt10() >= MovieIndex.TARGET_RECALL, settings.toString());
    int[] reporting = MovieIndex.sampleUsers(tables.users(), 100, 1, 2);
    try (MovieIndex index = MovieIndex.open(version, listed, ranking, settings)) {
      double recall = index.recallAt10(reporting, null, null, settings.candidates());
      assertTrue(recall >= 0.95, "recall@10 on odd users " + recall);
      // Fewer candidates than tuned must find less: the measurement can tell settings apart.
      assertTrue(index.recallAt10(reporting, null, null, 1) < recall);
    }
  }

  @Test
  void genreFilteredQueries_getTheirOwnTunedCandidates_andReachTheTargetToo() throws IOException {
    assertTrue(settings.genreTuningRecallAt10() >= MovieIndex.TARGET_RECALL, settings.toString());
    int[] reporting = MovieIndex.sampleUsers(tables.users(), 100, 1, 2);
    long[] genres = MovieIndex.genreFilters(reporting.length, genreMasks, 2);
    try (MovieIndex index = MovieIndex.open(version, listed, ranking, settings)) {
      double recall = index.recallAt10(reporting, genres, new dev.recsys.models.scoring.CandidateFilter(genreMasks),
          settings.genreCandidates());
      assertTrue(recall >= 0.95, "genre-filtered recall@10 on odd users " + recall);
    }
  }

  @Test
  void tuningAndReportingUsers_neverOverlap() {
    int[] even = MovieIndex.sampleUsers(1000, 200, 0, 3);
    int[] odd = MovieIndex.sampleUsers(1000, 200, 1, 3);
    assertEquals(200, Arrays.stream(even).distinct().count());
    assertTrue(Arrays.stream(even).allMatch(u -> u % 2 == 0 && u < 1000));
    assertTrue(Arrays.stream(odd).allMatch(u -> u % 2 == 1 && u < 1000));
  }

  @Test
  void filteredSearch_returnsOnlyAcceptedMovies_withExactScores() throws IOException {
    int[] excluded = new SplittableRandom(5).ints(300, 0, MOVIES).distinct().sorted().toArray();
    TopK.Filter evenNotExcluded = m -> m % 2 == 0 && Arrays.binarySearch(excluded, m) < 0;
    try (MovieIndex index = MovieIndex.open(version, listed, ranking, settings)) {
      int hits = 0;
      int users = 50;
      for (int u = 1; u < 2 * users; u += 2) {
        float[] vector = tables.userVector(u);
        TopK.Result got = index.top(vector, 10, evenNotExcluded, 0.5);
        assertNotNull(got, "half the catalogue is accepted: the graph is searched");
        float[] all = new float[MOVIES];
        exact.score(vector, all);
        for (int i = 0; i < got.size(); i++) {
          int m = got.indexes()[i];
          assertTrue(evenNotExcluded.accept(m), "movie " + m + " is filtered out");
          assertEquals(all[m], got.scores()[i], 0f, "rescored exactly, to the last bit");
          assertTrue(i == 0 || got.scores()[i] <= got.scores()[i - 1], "best first");
        }
        hits += MovieIndex.overlap(TopK.select(all, MOVIES, 10, evenNotExcluded), got.indexes());
      }
      assertTrue(hits / (10.0 * users) >= 0.9, "filtered recall@10 " + hits / (10.0 * users));
    }
  }

  @Test
  void aFilterLeavingFewMovies_isLeftToExactScoring() throws IOException {
    TopK.Filter rare = m -> m % 1000 == 0;
    try (MovieIndex index = MovieIndex.open(version, listed, ranking, settings)) {
      assertNull(index.top(tables.userVector(1), 10, rare, 0.001), "20 movies accepted: exact scoring is cheaper");
      // Claimed share wrong (all), filter restrictive: the walk gives up or returns accepted movies only.
      TopK.Result got = index.top(tables.userVector(1), 10, rare, 1.0);
      if (got != null) {
        assertTrue(Arrays.stream(got.indexes()).allMatch(m -> m % 1000 == 0));
      }
    }
  }

  @Test
  void openingLeavesTheVersionFolderUntouched() throws IOException {
    List<String> before = files(version);
    try (MovieIndex index = MovieIndex.open(version, listed, ranking, settings)) {
      assertEquals(settings.candidates(), index.candidates());
    }
    assertEquals(before, files(version));
  }

  @Test
  void indexesThatDoNotMatchTheVersion_areRefusedNamingWhy() {
    EmbeddingTables fewer = FactorLikeEmbeddings.generate(10, MOVIES - 1, DIM, new float[10], new float[MOVIES - 1], 0,
        new SplittableRandom(1));
    IOException count = assertThrows(IOException.class, () -> MovieIndex.open(version, listed, RankingModel.of(fewer), settings));
    assertTrue(count.getMessage().contains("19999 movies"), count.getMessage());
    EmbeddingTables wider = FactorLikeEmbeddings.generate(10, MOVIES, DIM + 1, new float[10], new float[MOVIES], 0,
        new SplittableRandom(1));
    IOException dim = assertThrows(IOException.class, () -> MovieIndex.open(version, listed, RankingModel.of(wider), settings));
    assertTrue(dim.getMessage().contains("expected 18 FLOAT32"), dim.getMessage());
    // Files the manifest does not list do not exist for Lucene.
    List<String> withoutSegments = listed.stream().filter(n -> !n.contains("segments")).toList();
    assertThrows(IOException.class, () -> MovieIndex.open(version, withoutSegments, ranking, settings));
    IOException none = assertThrows(IOException.class,
        () -> MovieIndex.open(version, listed, ranking, new MovieIndex.Settings(0, 1, 1, 10, 1, 16, 100)));
    assertTrue(none.getMessage().contains("1 to 10,000 candidates"), none.getMessage());
  }

  @Test
  void anIndexOfOtherVectors_ofTheSameShape_isRefused() throws IOException {
    EmbeddingTables other = FactorLikeEmbeddings.generate(400, MOVIES, DIM, new float[400], new float[MOVIES], 0, new SplittableRandom(99));
    Path scratch = Files.createDirectory(temp.resolve("other-scratch"));
    MovieIndex.build(other, scratch, Progress.silent("index"));
    Path foreign = Files.createDirectory(temp.resolve("foreign"));
    List<String> names = new ArrayList<>();
    for (String name : MovieIndex.indexFiles(scratch)) {
      Files.copy(scratch.resolve(name), foreign.resolve(MovieIndex.FILE_PREFIX + name));
      names.add(MovieIndex.FILE_PREFIX + name);
    }
    IOException e = assertThrows(IOException.class, () -> MovieIndex.open(foreign, names, ranking, settings));
    assertTrue(e.getMessage().contains("does not index this version's movies"), e.getMessage());
    // The same files with the vectors they index open.
    MovieIndex.open(foreign, names, RankingModel.of(other), settings).close();
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
