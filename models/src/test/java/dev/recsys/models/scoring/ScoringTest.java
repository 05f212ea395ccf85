package dev.recsys.models.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.embedding.EmbeddingTables;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoringTest {

  static EmbeddingTables random(int users, int items, int dim, long seed) {
    Random r = new Random(seed);
    float[] p = new float[users * dim];
    float[] q = new float[items * dim];
    float[] bu = new float[users];
    float[] bi = new float[items];
    for (int i = 0; i < p.length; i++) p[i] = (float) r.nextGaussian();
    for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
    for (int i = 0; i < bi.length; i++) bi[i] = (float) r.nextGaussian();
    return new EmbeddingTables(users, items, dim, p, q, bu, bi, 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1023, 1025, 65_535, 65_536, 65_537, 140_001})
  void dotScorer_equalsPairwiseScores_acrossBlockBoundaries(int items) {
    EmbeddingTables m = random(3, items, 13, items);
    DotScorer scorer = DotScorer.of(m);
    float[] out = new float[items];
    scorer.score(m.userVector(2), out);
    for (int i = 0; i < items; i++) {
      assertEquals(m.score(2, i), out[i], 1e-4f, "item " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 65_536, 65_537, 140_001})
  void rankingModel_holdsTheSameModel_andScoresOneMovieAsTheKernelDoes(int items) {
    EmbeddingTables m = random(4, items, 10, items + 1);
    RankingModel ranking = RankingModel.of(m);
    EmbeddingTables back = ranking.toTables();
    assertArrayEquals(m.itemEmbeddings(), back.itemEmbeddings(), "the kernel's copy is the whole movie side");
    assertArrayEquals(m.itemBiases(), back.itemBiases());
    assertArrayEquals(m.userEmbeddings(), back.userEmbeddings());
    float[] user = ranking.userVector(3);
    float[] all = new float[items];
    ranking.movies().score(user, all);
    float[] row = new float[m.dim()];
    for (int i = 0; i < items; i += Math.max(1, items / 997)) {
      // Rescoring a candidate found elsewhere (the graph index) must rank exactly as the kernel does.
      assertEquals(all[i], ranking.movies().score(user, i), 0f, "movie " + i);
      assertEquals(m.score(3, i), ranking.score(3, i), 1e-4f, "movie " + i);
      assertEquals(m.itemBiases()[i], ranking.movies().bias(i), 0f);
      ranking.movies().copyRow(i, row);
      assertArrayEquals(Arrays.copyOfRange(m.itemEmbeddings(), i * m.dim(), (i + 1) * m.dim()), row);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 9, 65_536, 65_537, 140_001})
  void fusedTop_equalsScoringThenSelecting_acrossBlockBoundaries(int items) {
    EmbeddingTables m = random(2, items, 6, items);
    DotScorer scorer = DotScorer.of(m);
    float[] all = new float[items];
    scorer.score(m.userVector(1), all);
    // Ties across a block boundary: the lower index must win in both paths.
    TopK.Filter notThirds = i -> i % 3 != 0;
    for (int k : new int[] {1, 10, 300}) {
      int[] expected = TopK.select(all, items, k, notThirds);
      TopK.Result fused = scorer.top(m.userVector(1), k, notThirds);
      assertArrayEquals(expected, fused.indexes(), "k=" + k);
      for (int i = 0; i < fused.size(); i++) {
        assertEquals(all[fused.indexes()[i]], fused.scores()[i], "score of " + fused.indexes()[i]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4, 7, 9_742})
  void blendStandardisation_givesTheMeanAndInverseDeviation_forAnyLength(int n) {
    Random r = new Random(n);
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = (float) (3 + 2 * r.nextGaussian());
    }
    double mean = 0;
    for (float x : s) {
      mean += x;
    }
    mean /= n;
    double variance = 0;
    for (float x : s) {
      variance += (x - mean) * (x - mean);
    }
    variance /= n;
    float[] got = BlendRanker.standardisation(s, n);
    assertEquals(mean, got[0], 1e-5 * Math.max(1, Math.abs(mean)));
    assertEquals(variance > 0 ? 1 / Math.sqrt(variance) : 0, got[1], 1e-4);
  }

  @Test
  void topK_offeredInPieces_equalsOneOffer_andKeepsTheLowerIndexOnTies() {
    float[] scores = {5, 1, 5, 3, 5, 5, 2, 5};
    TopK pieces = new TopK(3, TopK.Filter.ALL);
    pieces.offer(scores, 0, 3, 0);
    pieces.offer(Arrays.copyOfRange(scores, 3, 8), 0, 5, 3);
    assertArrayEquals(new int[] {0, 2, 4}, pieces.result().indexes());
    assertArrayEquals(new int[] {0, 2, 4}, TopK.select(scores, scores.length, 3, TopK.Filter.ALL));
  }

  @Test
  void topK_equalsAFullSort_withFilterAndTies() {
    Random r = new Random(4);
    float[] scores = new float[10_000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = r.nextInt(500);
    }
    scores[17] = Float.NaN;
    TopK.Filter odd = i -> i % 2 == 1;
    int[] expected =
        IntStream.range(0, scores.length).boxed().filter(i -> i % 2 == 1 && !Float.isNaN(scores[i]))
            .sorted((a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b))
            .limit(25).mapToInt(Integer::intValue).toArray();
    assertArrayEquals(expected, TopK.select(scores, scores.length, 25, odd));
    assertEquals(3, TopK.select(new float[] {1, 2, 3}, 3, 10, TopK.Filter.ALL).length);
    assertEquals(0, TopK.select(scores, scores.length, 0, TopK.Filter.ALL).length);
  }

  /** Neighbour-style scores: most exactly zero, some excluded (-inf), a few NaN; every k, against a full sort. */
  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100, 5_000, 12_000})
  void topK_equalsAFullSort_whenMostScoresTie(int k) {
    Random r = new Random(k);
    float[] scores = new float[10_000];
    for (int i = 0; i < scores.length; i++) {
      int kind = r.nextInt(10);
      scores[i] = kind < 6 ? 0f : kind == 6 ? Float.NEGATIVE_INFINITY : kind == 7 && r.nextInt(50) == 0 ? Float.NaN : r.nextInt(40) / 4f;
    }
    int[] expected =
        IntStream.range(0, scores.length).boxed().filter(i -> scores[i] > Float.NEGATIVE_INFINITY)
            .sorted((a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b))
            .limit(k).mapToInt(Integer::intValue).toArray();
    assertArrayEquals(expected, TopK.select(scores, scores.length, k, TopK.Filter.ALL));
  }

  @Test
  void ratingFoldIn_recoversAUsersEmbeddingFromTheirRatings() {
    EmbeddingTables m = random(1, 400, 8, 9);
    float[] truth = {0.3f, -0.2f, 0.1f, 0.0f, 0.25f, -0.1f, 0.05f, 0.2f};
    float userBias = 0.4f;
    int[] movies = IntStream.range(0, 200).toArray();
    float[] ratings = new float[movies.length];
    for (int j = 0; j < movies.length; j++) {
      float dot = 0;
      for (int k = 0; k < 8; k++) {
        dot += truth[k] * m.itemEmbeddings()[movies[j] * 8 + k];
      }
      ratings[j] = m.globalBias() + userBias + m.itemBiases()[movies[j]] + dot;
    }
    float[] solved = FoldIn.ratingVector(m, movies, ratings, 1e-6f);
    for (int k = 0; k < 8; k++) {
      assertEquals(truth[k], solved[k], 1e-3f);
    }
    assertEquals(userBias, solved[8], 1e-3f);
  }

  /** 300 movies in three taste clusters of 100 (0-99, 100-199, 200-299), small biases. */
  static EmbeddingTables clustered(int dim, long seed) {
    Random r = new Random(seed);
    float[] q = new float[300 * dim];
    float[] bi = new float[300];
    for (int i = 0; i < 300; i++) {
      int cluster = i / 100;
      for (int k = 0; k < dim; k++) {
        q[i * dim + k] = (float) ((k % 3 == cluster ? 2.0 : 0.0) + 0.3 * r.nextGaussian());
      }
      bi[i] = (float) (0.1 * r.nextGaussian());
    }
    return new EmbeddingTables(1, 300, dim, new float[dim], q, new float[1], bi, 0);
  }

  @Test
  void implicitFoldIn_pointsTheUserAtTheTasteOfTheirRatings() {
    EmbeddingTables m = clustered(6, 11);
    FoldIn foldIn = FoldIn.implicit(m, new FoldIn.Implicit(4f, 0f, 0.01f, 0.1f));
    // Likes five movies of cluster 1, dislikes two of cluster 2.
    int[] movies = {103, 150, 177, 120, 199, 210, 250};
    float[] stars = {5, 5, 4.5f, 5, 4, 1, 1.5f};
    float[] user = foldIn.rankingVector(movies, stars, 3f, 2f);
    float[] scores = new float[300];
    DotScorer.of(m).score(user, scores);
    int[] top = TopK.select(scores, 300, 30, TopK.Filter.ALL);
    long inLikedCluster = Arrays.stream(top).filter(i -> i / 100 == 1).count();
    long inDislikedCluster = Arrays.stream(top).filter(i -> i / 100 == 2).count();
    assertTrue(inLikedCluster >= 27, "only " + inLikedCluster + " of the top 30 from the liked cluster");
    assertEquals(0, inDislikedCluster);
  }

  @Test
  void batchedTop_givesEachUserTheirOwnTop_acrossBlocksAndTiles() {
    int items = DotScorer.BLOCK + 3 * DotScorer.TILE + 17;
    int dim = 10;
    Random random = new Random(5);
    float[] rows = new float[items * dim];
    float[] biases = new float[items];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < items; i++) {
      biases[i] = (float) random.nextGaussian() * 0.1f;
    }
    DotScorer scorer = new DotScorer(rows, biases, items, dim);
    float[][] users = new float[5][dim];
    for (float[] u : users) {
      for (int d = 0; d < dim; d++) {
        u[d] = (float) random.nextGaussian();
      }
    }
    TopK.Filter[] filters = {TopK.Filter.ALL, m -> m % 3 != 0, m -> m < 1000, m -> m > DotScorer.BLOCK, m -> false};
    TopK.Result[] batch = scorer.top(users, 10, filters);
    for (int u = 0; u < users.length; u++) {
      TopK.Result alone = scorer.top(users[u], 10, filters[u]);
      assertArrayEquals(alone.indexes(), batch[u].indexes(), "user " + u);
      assertArrayEquals(alone.scores(), batch[u].scores(), "user " + u);
    }
    assertEquals(0, batch[4].size(), "a filter that accepts nothing");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 7, 101})
  void gram_equalsTheDefinition_forAnyNumberOfRows(int rows) {
    int dim = 5;
    Random random = new Random(rows);
    float[] f = new float[rows * dim];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) random.nextGaussian();
    }
    double[] g = LinearSolver.gram(f, rows, dim, 0.5);
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < dim; b++) {
        double expected = 0;
        for (int i = 0; i < rows; i++) {
          expected += (double) f[i * dim + a] * f[i * dim + b];
        }
        assertEquals(0.5 * expected, g[a * dim + b], 1e-9 * Math.max(1, Math.abs(expected)), "entry " + a + "," + b);
      }
    }
  }

  @Test
  void isGramOf_acceptsTheGram_andRefusesAnyChangedEntry() {
    int rows = 300;
    int dim = 6;
    Random random = new Random(3);
    float[] f = new float[rows * dim];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) random.nextGaussian();
    }
    double[] g = LinearSolver.gram(f, rows, dim, 0.25);
    assertTrue(LinearSolver.isGramOf(g, f, rows, dim, 0.25));
    assertFalse(LinearSolver.isGramOf(g, f, rows, dim, 0.5), "another weight");
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b <= a; b++) {
        double[] changed = g.clone();
        // 0.1% of the entry, applied symmetrically: still symmetric, no longer the Gram matrix.
        double delta = 1e-3 * Math.max(1, Math.abs(g[a * dim + b]));
        changed[a * dim + b] += delta;
        changed[b * dim + a] = changed[a * dim + b];
        assertFalse(LinearSolver.isGramOf(changed, f, rows, dim, 0.25), "entry " + a + "," + b);
      }
    }
    double[] asymmetric = g.clone();
    asymmetric[1] = Math.nextUp(asymmetric[1]);
    assertFalse(LinearSolver.isGramOf(asymmetric, f, rows, dim, 0.25));
    double[] notFinite = g.clone();
    notFinite[0] = Double.NaN;
    assertFalse(LinearSolver.isGramOf(notFinite, f, rows, dim, 0.25));
    assertFalse(LinearSolver.isGramOf(new double[dim], f, rows, dim, 0.25), "wrong size");
  }

  @Test
  void diversifier_zeroKeepsOrder_oneSpreadsGenres() {
    int[] candidates = {0, 1, 2, 3};
    float[] relevance = {4, 3.9f, 3.8f, 1};
    long[] genres = {0b01, 0b01, 0b01, 0b10};
    assertArrayEquals(new int[] {0, 1, 2}, Diversifier.rerank(candidates, relevance, genres, 3, 0));
    int[] diverse = Diversifier.rerank(candidates, relevance, genres, 2, 0.8);
    assertArrayEquals(new int[] {0, 3}, diverse);
    assertEquals(1.0, Diversifier.jaccard(0, 0));
    assertEquals(1.0 / 3, Diversifier.jaccard(0b011, 0b110), 1e-9);
  }
}
