package dev.recsys.models.ann;

import dev.recsys.models.console.Progress;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.scoring.CandidateFilter;
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
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * HNSW graphs (Lucene) over a version's movie embeddings for approximate maximum-inner-product
 * top-k. The served score {@code b_i + <u, v_i>} is an inner product of {@code [u, 1]} with {@code
 * [v_i, b_i]}. Two graphs ({@link Graph}) index the same movies: one under that inner product, for
 * unfiltered queries; one on a Euclidean lift of it, for genre-filtered ones: each movie on the
 * sphere of radius {@code R} (the longest movie) as {@code [v_i, b_i, sqrt(R^2 - |[v_i, b_i]|^2)]},
 * where Euclidean distance to {@code [u, 1, 0]} ranks exactly as the inner product does (the
 * reduction of Bachrach et al., RecSys 2014).
 *
 * <p>Document {@code i} is movie {@code i} (one segment, checked on open). The graphs only propose
 * candidates: they are rescored with the version's embeddings and filters are applied exactly (the
 * graph search is given the filter as its accepted documents, and gives up in favour of exact
 * scoring when the filter leaves so few movies that walking the graph would visit more than
 * exist). Thread-safe once opened.
 */
public final class MovieIndex implements AutoCloseable {

  /** Prefix of the index's files among a version's artifacts (Lucene names the rest). */
  public static final String FILE_PREFIX = "ann.";

  /** Manifest role of every index file. */
  public static final String ROLE = "ann_index";

  /** Catalogues from this size up get an index by default (below it exact scoring takes ~1 ms). */
  public static final int DEFAULT_MIN_MOVIES = 100_000;

  /** Mean recall@10 against exact scoring that the candidate count is tuned to reach at build. */
  public static final double TARGET_RECALL = 0.97;

  /** Graph out-degree (Lucene's default). */
  static final int MAX_CONNECTIONS = 16;

  /** Candidates examined per inserted node while building (Lucene's default). */
  static final int BEAM_WIDTH = 100;

  /** Candidate counts (per 10 results) tried when tuning, smallest first. */
  static final int[] CANDIDATE_STEPS = {10, 15, 20, 30, 40, 60, 80, 120, 160, 240, 320, 640};

  /** Users the candidate count is tuned on (the even-numbered ones; odd ones are left for reporting). */
  static final int TUNING_USERS = 200;

  /** Users whose answers are checked against exact scoring when a version's index is opened. */
  static final int CHECK_USERS = 20;

  /** Share of the tuned recall those users must reach, or the index is refused. */
  static final double CHECK_RECALL_SHARE = 0.8;

  /**
   * The index's two graphs over the same movies. Unfiltered queries walk the inner-product graph,
   * whose first answers are the best ones (15 candidates per 10 results reach recall@10 0.975 at 1M
   * factor-like movies), but whose deeper answers are poor (the genre-filtered walk stalled at
   * 0.84). Genre-filtered queries walk the lifted graph (40 per 10 reach 0.973), which ranks deep
   * answers well but needed 640 per 10 unfiltered (p99 17.6 ms at 4 calls in flight against 8.2
   * ms). Each graph serves the queries it is good at.
   */
  enum Graph {
    /** {@code [v_i, b_i]} under Lucene's maximum inner product; queried as {@code [u, 1]}. */
    INNER_PRODUCT("movie_inner_product", 1, VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT),
    /** {@code [v_i, b_i, sqrt(R^2 - |[v_i, b_i]|^2)]} under Euclidean distance; queried as {@code [u, 1, 0]}. */
    LIFTED("movie_lifted", 2, VectorSimilarityFunction.EUCLIDEAN);

    final String field;
    final int extra;
    final VectorSimilarityFunction similarity;

    Graph(String field, int extra, VectorSimilarityFunction similarity) {
      this.field = field;
      this.extra = extra;
      this.similarity = similarity;
    }

    /** The query vector of {@code user}: the bias coordinate is 1, the lift (if any) 0. */
    float[] query(float[] user) {
      float[] q = Arrays.copyOf(user, user.length + extra);
      q[user.length] = 1;
      return q;
    }
  }
  static final String MOVIE = "movie";

  /**
   * What the manifest records about a version's index.
   *
   * @param candidates graph candidates asked for per 10 results, tuned at build time
   * @param tuningRecallAt10 mean recall@10 against exact scoring measured at build on
   * @param tuningUsers that many of the version's own users (even-numbered)
   * @param genreCandidates candidates per 10 results when a genre filter leaves part of the catalogue
   *     (a filtered walk passes over rejected movies, so it needs a wider search), tuned likewise
   * @param genreTuningRecallAt10 the recall those reached, each tuning user asking for one random genre
   * @param maxConnections graph out-degree
   * @param beamWidth build-time beam width
   */
  public record Settings(int candidates, double tuningRecallAt10, int tuningUsers, int genreCandidates, double genreTuningRecallAt10,
      int maxConnections, int beamWidth) {}

  private final Directory directory;
  private final DirectoryReader reader;
  private final LeafReader leaf;
  /** The version's ranking model: user vectors for the checks, its kernel for exact rescoring. */
  private final RankingModel ranking;
  private final int candidates;
  private final int genreCandidates;

  private MovieIndex(Directory directory, DirectoryReader reader, RankingModel ranking, int candidates, int genreCandidates) {
    this.directory = directory;
    this.reader = reader;
    this.leaf = reader.leaves().getFirst().reader();
    this.ranking = ranking;
    this.candidates = candidates;
    this.genreCandidates = genreCandidates;
  }

  // ------------------------------------------------------------------------------------- build

  /**
   * Writes an index of {@code tables}' movies into the empty folder {@code folder} (plain Lucene
   * file names; see {@link #indexFiles}). One thread inserts every movie into one segment's graph.
   */
  public static void build(EmbeddingTables tables, Path folder, Progress progress) throws IOException {
    int dim = tables.dim();
    float[] rows = tables.itemEmbeddings();
    float[] biases = tables.itemBiases();
    LogByteSizeMergePolicy merges = new LogByteSizeMergePolicy(); // merges neighbours only: document order is kept
    merges.setNoCFSRatio(0);
    IndexWriterConfig config = new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setCodec(new Lucene104Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return new Lucene99HnswVectorsFormat(MAX_CONNECTIONS, BEAM_WIDTH);
          }
        })
        // Large enough that a million movies of 64 dimensions flush as one segment: one graph,
        // never rebuilt by a merge.
        .setRAMBufferSizeMB(1024)
        .setUseCompoundFile(false)
        .setMergePolicy(merges)
        .setCommitOnClose(false);
    FieldType innerProductType = KnnFloatVectorField.createFieldType(dim + 1, Graph.INNER_PRODUCT.similarity);
    FieldType liftedType = KnnFloatVectorField.createFieldType(dim + 2, Graph.LIFTED.similarity);
    // The longest [v_i, b_i]: every movie is lifted onto the sphere of that radius by its last coordinate.
    double radius = 0;
    for (int m = 0; m < tables.items(); m++) {
      radius = Math.max(radius, squaredLength(rows, m * dim, dim) + (double) biases[m] * biases[m]);
    }
    radius = Math.sqrt(radius);
    try (Directory dir = FSDirectory.open(folder); IndexWriter writer = new IndexWriter(dir, config)) {
      for (int m = 0; m < tables.items(); m++) {
        float[] lifted = Arrays.copyOfRange(rows, m * dim, m * dim + dim + 2);
        lifted[dim] = biases[m];
        double lengthSquared = squaredLength(rows, m * dim, dim) + (double) biases[m] * biases[m];
        lifted[dim + 1] = (float) Math.sqrt(Math.max(0, radius * radius - lengthSquared));
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(Graph.INNER_PRODUCT.field, Arrays.copyOf(lifted, dim + 1), innerProductType));
        doc.add(new KnnFloatVectorField(Graph.LIFTED.field, lifted, liftedType));
        doc.add(new NumericDocValuesField(MOVIE, m));
        writer.addDocument(doc);
        progress.advance(1);
      }
      writer.forceMerge(1);
      writer.commit();
    }
  }

  private static double squaredLength(float[] rows, int from, int dim) {
    double sum = 0;
    for (int d = 0; d < dim; d++) {
      sum += (double) rows[from + d] * rows[from + d];
    }
    return sum;
  }

  /** The index files in a folder {@link #build} wrote, without Lucene's lock file. */
  public static List<String> indexFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(IndexWriter.WRITE_LOCK_NAME)).sorted().toList();
    }
  }

  /**
   * Tunes the candidate counts on the version's own users: for each of unfiltered queries and
   * queries for one random genre (of those holding at least 1% of the catalogue), the smallest count
   * of {@link #CANDIDATE_STEPS} whose mean recall@10 against exact scoring reaches {@link
   * #TARGET_RECALL} on up to {@link #TUNING_USERS} even-numbered users (the largest step when none
   * does).
   */
  public static Settings tune(Path folder, RankingModel ranking, long[] genreMasks, long seed) throws IOException {
    int[] users = sampleUsers(ranking.users(), TUNING_USERS, 0, seed);
    long[] genres = genreFilters(users.length, genreMasks, seed);
    try (MovieIndex index = open(FSDirectory.open(folder), ranking, CANDIDATE_STEPS[0], CANDIDATE_STEPS[0])) {
      double[] plain = tuneSteps(index, users, null, null);
      double[] genre = tuneSteps(index, users, genres, new CandidateFilter(genreMasks));
      return new Settings((int) plain[0], plain[1], users.length, (int) genre[0], genre[1], MAX_CONNECTIONS, BEAM_WIDTH);
    }
  }

  /** {candidates, recall}: the first step reaching the target recall, else the last step. */
  private static double[] tuneSteps(MovieIndex index, int[] users, long[] genres, CandidateFilter filters) throws IOException {
    double recall = 0;
    for (int c : CANDIDATE_STEPS) {
      recall = index.recallAt10(users, genres, filters, c);
      if (recall >= TARGET_RECALL) {
        return new double[] {c, recall};
      }
    }
    return new double[] {CANDIDATE_STEPS[CANDIDATE_STEPS.length - 1], recall};
  }

  /** One single-genre mask per query, drawn among genres with at least 1% of the movies (0 when none has). */
  public static long[] genreFilters(int count, long[] genreMasks, long seed) {
    CandidateFilter filters = new CandidateFilter(genreMasks);
    List<Long> common = new ArrayList<>();
    for (int g = 0; g < Long.SIZE; g++) {
      if (filters.acceptedShare(1L << g) >= 0.01) {
        common.add(1L << g);
      }
    }
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = common.isEmpty() ? 0 : common.get(random.nextInt(common.size()));
    }
    return out;
  }

  /**
   * Up to {@code count} distinct users whose index has parity {@code parity} (0: even, 1: odd),
   * drawn with {@code seed}: tuning and reporting never share a user.
   */
  public static int[] sampleUsers(int users, int count, int parity, long seed) {
    int pool = (users - parity + 1) / 2;
    int n = Math.min(count, pool);
    int[] drawn = new SplittableRandom(seed).ints(0, pool).distinct().limit(n).toArray();
    for (int i = 0; i < n; i++) {
      drawn[i] = drawn[i] * 2 + parity;
    }
    return drawn;
  }

  /**
   * Mean recall@10 of the graph's top 10 (asking {@code candidates}) against exact scoring under the
   * same filter: user {@code users[i]} asks for the genres {@code genres[i]} (null, or 0: none).
   */
  public double recallAt10(int[] users, long[] genres, CandidateFilter filters, int candidates) throws IOException {
    DotScorer exact = ranking.movies();
    double sum = 0;
    for (int i = 0; i < users.length; i++) {
      float[] vector = ranking.userVector(users[i]);
      long genre = genres == null ? 0 : genres[i];
      TopK.Filter filter = genre == 0 ? TopK.Filter.ALL : filters.allowing(genre, null, 0, 0, new int[0]);
      int[] truth = exact.top(vector, 10, filter).indexes();
      TopK.Result got = search(genre == 0 ? Graph.INNER_PRODUCT : Graph.LIFTED, vector, 10, candidates, filter, Integer.MAX_VALUE);
      sum += overlap(truth, got.indexes()) / (double) Math.max(1, truth.length);
    }
    return users.length == 0 ? 1 : sum / users.length;
  }

  /** How many of {@code truth} are in {@code got}. */
  public static int overlap(int[] truth, int[] got) {
    int hits = 0;
    for (int t : truth) {
      for (int g : got) {
        if (g == t) {
          hits++;
          break;
        }
      }
    }
    return hits;
  }

  // -------------------------------------------------------------------------------------- open

  /**
   * Opens the index among a version's files: only the listed {@code ann.*} files are visible to
   * Lucene (read-only, memory-mapped), the index must hold both graphs' vectors for each movie of
   * {@code ranking}, movie i as document i, and for {@link #CHECK_USERS} users it must find most of
   * what exact scoring ({@code ranking}'s kernel) finds ({@link #CHECK_RECALL_SHARE} of the tuned
   * recall).
   *
   * @param listed the version's manifest file names (others are ignored)
   * @throws IOException naming what does not match
   */
  public static MovieIndex open(Path versionDir, List<String> listed, RankingModel ranking, Settings settings) throws IOException {
    if (settings == null || settings.candidates() < 1 || settings.candidates() > 10_000 || settings.genreCandidates() < 1
        || settings.genreCandidates() > 10_000) {
      throw new IOException("ANN index settings need 1 to 10,000 candidates, the manifest has "
          + (settings == null ? "no settings" : settings.candidates() + " and " + settings.genreCandidates() + " with a genre filter"));
    }
    List<String> names = new ArrayList<>();
    for (String name : listed) {
      if (name.startsWith(FILE_PREFIX)) {
        names.add(name.substring(FILE_PREFIX.length()));
      }
    }
    MovieIndex index = open(new VersionFiles(FSDirectory.open(versionDir), FILE_PREFIX, names), ranking, settings.candidates(),
        settings.genreCandidates());
    try {
      // An index of other vectors (another version's, or crafted) opens and walks like this one:
      // only its answers can tell. Exact scoring of a few users is the cheap referee.
      int[] users = sampleUsers(ranking.users(), CHECK_USERS, 1, 0);
      double recall = index.recallAt10(users, null, null, settings.candidates());
      double floor = CHECK_RECALL_SHARE * Math.min(TARGET_RECALL, settings.tuningRecallAt10());
      if (recall < floor) {
        throw new IOException(String.format(java.util.Locale.ROOT,
            "ANN index finds %.2f of the exact top 10 for %d users (at least %.2f expected): it does not index this version's movies",
            recall, users.length, floor));
      }
      return index;
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  private static MovieIndex open(Directory directory, RankingModel ranking, int candidates, int genreCandidates) throws IOException {
    DirectoryReader reader = null;
    try {
      reader = DirectoryReader.open(directory);
      check(reader, ranking);
      return new MovieIndex(directory, reader, ranking, candidates, genreCandidates);
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        reader.close();
      }
      directory.close();
      throw e instanceof IOException io ? io : new IOException("ANN index does not open: " + e, e);
    }
  }

  private static void check(DirectoryReader reader, RankingModel ranking) throws IOException {
    if (reader.leaves().size() != 1) {
      throw new IOException("ANN index has " + reader.leaves().size() + " segments, expected 1");
    }
    LeafReader leaf = reader.leaves().getFirst().reader();
    if (leaf.maxDoc() != ranking.items() || leaf.numDeletedDocs() != 0) {
      throw new IOException("ANN index holds " + leaf.numDocs() + " of " + leaf.maxDoc() + " documents, the version has "
          + ranking.items() + " movies");
    }
    for (Graph graph : Graph.values()) {
      FieldInfo field = leaf.getFieldInfos().fieldInfo(graph.field);
      int dims = ranking.dim() + graph.extra;
      if (field == null || field.getVectorDimension() != dims || field.getVectorEncoding() != VectorEncoding.FLOAT32
          || field.getVectorSimilarityFunction() != graph.similarity) {
        throw new IOException("ANN index field '" + graph.field + "' is " + (field == null ? "missing"
            : field.getVectorDimension() + " " + field.getVectorEncoding() + " " + field.getVectorSimilarityFunction())
            + ", expected " + dims + " FLOAT32 " + graph.similarity);
      }
    }
    NumericDocValues movies = leaf.getNumericDocValues(MOVIE);
    for (int doc = 0; doc < leaf.maxDoc(); doc++) {
      if (movies == null || !movies.advanceExact(doc) || movies.longValue() != doc) {
        throw new IOException("ANN index document " + doc + " is not movie " + doc);
      }
    }
  }

  // ------------------------------------------------------------------------------------ search

  /** Candidates asked of the graph per 10 results (tuned at build). */
  public int candidates() {
    return candidates;
  }

  /** Candidates asked of the graph per 10 results under a genre filter (tuned at build). */
  public int genreCandidates() {
    return genreCandidates;
  }

  /**
   * The {@code k} best movies {@code filter} accepts, found through the graph and rescored exactly;
   * null when exact scoring is the better way: the filter's accepted movies ({@code acceptedShare} of
   * the catalogue at most) are too few for a graph walk to pay, or the walk visited more movies than
   * that and gave up.
   *
   * @param filter accepted movies, or null for all
   * @param acceptedShare an upper bound of the share of the catalogue {@code filter} accepts
   */
  public TopK.Result top(float[] user, int k, TopK.Filter filter, double acceptedShare) throws IOException {
    Graph graph = acceptedShare < 1 ? Graph.LIFTED : Graph.INNER_PRODUCT;
    int perTen = graph == Graph.LIFTED ? genreCandidates : candidates;
    int want = Math.max(k, (int) Math.min(Integer.MAX_VALUE / 2, (long) perTen * Math.max(1, (k + 9) / 10)));
    long accepted = (long) Math.ceil(Math.min(1, acceptedShare) * ranking.items());
    if (accepted <= 4L * want) {
      return null;
    }
    return search(graph, user, k, want, filter, (int) Math.min(Integer.MAX_VALUE, accepted));
  }

  private TopK.Result search(Graph graph, float[] user, int k, int want, TopK.Filter filter, int visitLimit) throws IOException {
    float[] query = graph.query(user);
    Bits accept = filter == null || filter == TopK.Filter.ALL ? null : new Bits() {
      @Override
      public boolean get(int index) {
        return filter.accept(index);
      }

      @Override
      public int length() {
        return ranking.items();
      }
    };
    TopDocs found = leaf.searchNearestVectors(graph.field, query, want, AcceptDocs.fromLiveDocs(accept, ranking.items()), visitLimit);
    if (found.totalHits.relation() != TotalHits.Relation.EQUAL_TO) {
      return null;
    }
    int[] docs = new int[found.scoreDocs.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = found.scoreDocs[i].doc;
    }
    Arrays.sort(docs);
    DotScorer exact = ranking.movies();
    TopK top = new TopK(k, TopK.Filter.ALL);
    for (int m : docs) {
      top.offer(m, exact.score(user, m));
    }
    return top.result();
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
