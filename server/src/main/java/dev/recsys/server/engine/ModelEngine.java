package dev.recsys.server.engine;

import dev.recsys.models.ann.MovieIndex;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.catalog.TitleIndex;
import dev.recsys.models.demographics.DemographicGroups;
import dev.recsys.models.demographics.DemographicPopularity;
import dev.recsys.models.profiles.GenreAffinity;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.scoring.BlendRanker;
import dev.recsys.models.scoring.CandidateFilter;
import dev.recsys.models.scoring.ContentBlend;
import dev.recsys.models.scoring.Diversifier;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.models.scoring.TopK;
import dev.recsys.models.segments.Centroids;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.server.engine.Types.Attributes;
import dev.recsys.server.engine.Types.Filter;
import dev.recsys.server.engine.Types.Prediction;
import dev.recsys.server.engine.Types.Profile;
import dev.recsys.server.engine.Types.Recommendation;
import dev.recsys.server.engine.Types.Scored;
import dev.recsys.server.engine.Types.Segment;
import dev.recsys.server.engine.Types.Similar;
import dev.recsys.server.engine.Types.Source;
import dev.recsys.server.engine.Types.Strategy;
import dev.recsys.server.scoring.EmbeddingScoring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The answers of one model version. Immutable and thread-safe; per-call scratch arrays are
 * thread-local. Cold start: an unknown user gets the most rated movies (within the requested
 * genres), among people of their stated age and gender when the version carries that; a new user
 * with ratings is folded in.
 */
public final class ModelEngine implements AutoCloseable {

  /** How the selected ranking model scores. */
  enum RankerKind {
    RANKING_EMBEDDING,
    RATING_EMBEDDING,
    NEIGHBORS,
    EASE,
    BLEND,
    POPULARITY
  }

  /**
   * The most rated movies kept in order per version, for cold start: an unknown user's answer is
   * the first k of them that the filter accepts, found without a pass over the catalogue (that
   * pass and its top-k were a third of the server's samples for cold-start calls, JFR,
   * docs/benchmarks.md). When fewer than needed pass the filter (a rare genre), the full pass
   * answers, so answers are the same either way.
   */
  static final int POPULAR_PREFIX = 1000;

  /** Candidates re-ranked for diversity: this many per requested movie, at least {@link #MIN_RERANK_POOL}. */
  static final int RERANK_POOL_FACTOR = 5;
  static final int MIN_RERANK_POOL = 100;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelEngine.class);

  private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

  private final long version;
  private final ModelBundle bundle;
  private final EmbeddingScoring rankingScoring;
  private final EmbeddingScoring mfScoring;
  private final RankerKind kind;
  private final double defaultDiversity;
  private final float[] popularityScores;
  /** The {@link #POPULAR_PREFIX} most rated movies, most first, ties to the lower index (as {@link TopK} orders them). */
  private final int[] mostPopular;
  private final NeighborRanker neighbors;
  private final NeighborRanker ease;
  private final VectorCache vectors;
  private final float midpoint;
  private final float span;
  /** α₀HᵀH of the implicit segment space, computed once per version (null unless segments use it). */
  private final double[] implicitGram;
  /** Genres and years mixed into a new user's scores, by how short their profile is. */
  private final ContentBlend content;
  /** The ranking model's graph index (big catalogues), or null: exact scoring. Closed with the engine. */
  private final MovieIndex index;
  private final java.util.concurrent.atomic.AtomicBoolean graphFailed = new java.util.concurrent.atomic.AtomicBoolean();
  /** Filters as per-candidate tests, for the fused kernel and the graph index. */
  private final CandidateFilter candidates;

  /**
   * @param rankingScoring scores the ranking model's embeddings (CPU or batched device)
   * @param vectors this version's view of the cache of vectors folded in from rating profiles
   */
  public ModelEngine(long version, ModelBundle bundle, EmbeddingScoring rankingScoring, VectorCache vectors) {
    this(version, bundle, rankingScoring, null, vectors);
  }

  /**
   * @param index the version's graph index over the ranking model's movies, or null; the engine
   *     owns it from here (closed by {@link #close()})
   */
  public ModelEngine(long version, ModelBundle bundle, EmbeddingScoring rankingScoring, MovieIndex index, VectorCache vectors) {
    this.version = version;
    this.index = index;
    this.bundle = bundle;
    this.rankingScoring = rankingScoring;
    this.vectors = vectors;
    String selected = bundle.spec().rankingModel();
    this.kind = switch (selected) {
      case "ranking", "bpr", "ials", "ranking_mmr" -> RankerKind.RANKING_EMBEDDING;
      case "ease" -> RankerKind.EASE;
      case "blend" -> RankerKind.BLEND;
      case "rating_mf" -> RankerKind.RATING_EMBEDDING;
      case "item_neighbors" -> RankerKind.NEIGHBORS;
      case "popularity" -> RankerKind.POPULARITY;
      default -> throw new IllegalArgumentException("unknown ranking model '" + selected + "' in the manifest");
    };
    this.mfScoring = kind == RankerKind.RATING_EMBEDDING ? new dev.recsys.server.scoring.CpuScoring(DotScorer.of(bundle.mf())) : null;
    this.defaultDiversity = selected.equals("ranking_mmr") ? bundle.spec().diversity() : 0;
    this.popularityScores = new float[bundle.catalog().size()];
    for (int m = 0; m < popularityScores.length; m++) {
      popularityScores[m] = bundle.popularity()[m];
    }
    this.mostPopular = TopK.select(popularityScores, popularityScores.length, POPULAR_PREFIX, TopK.Filter.ALL);
    this.neighbors = new NeighborRanker(bundle.similar());
    this.ease = bundle.ease() == null ? null : new NeighborRanker(bundle.ease(), true);
    this.midpoint = (bundle.scale().min() + bundle.scale().max()) / 2;
    this.span = (bundle.scale().max() - bundle.scale().min()) / 2;
    this.implicitGram = bundle.implicitGram();
    int[] years = new int[bundle.catalog().size()];
    for (int m = 0; m < years.length; m++) {
      years[m] = bundle.catalog().year(m);
    }
    this.candidates = new CandidateFilter(bundle.genreMasks());
    this.content = new ContentBlend(bundle.genreMasks(), years, bundle.spec().contentWeight(), bundle.spec().contentYearShare());
  }

  public long version() {
    return version;
  }

  public ModelBundle bundle() {
    return bundle;
  }

  public Catalog catalog() {
    return bundle.catalog();
  }

  public String scoringDevice() {
    if (kind == RankerKind.RANKING_EMBEDDING && index != null) {
      return rankingScoring.device() + " + graph index (" + index.candidates() + " candidates per 10)";
    }
    return kind == RankerKind.RANKING_EMBEDDING || kind == RankerKind.BLEND ? rankingScoring.device() : "cpu";
  }

  /** Batches the ranking model's scoring ran for this version, and the requests in them (0 and 0 unbatched). */
  public EmbeddingScoring.BatchCounts scoringBatches() {
    return rankingScoring.batchCounts();
  }

  /** Whether this version's scoring device failed and its CPU kernel scores instead. */
  public boolean scoringFellBack() {
    return rankingScoring.fellBack();
  }

  // --------------------------------------------------------------------------------- recommend

  /**
   * Top-k for a user id: personalised if the model knows them; otherwise cold start, by the
   * popularity among people of the stated age and gender when the version carries it.
   */
  public Recommendation recommend(long userId, Attributes attributes, int k, Filter filter, double diversity, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    UserRatings users = bundle.users();
    int u = users.indexOf(userId);
    if (u < 0) {
      return coldStart(k, filter, attributes, diversity);
    }
    // A known user's vector is a row of the model: copying it (64 floats) measured no dearer than a
    // cache lookup, and leaves no cache for a swap to refill (every user missing a new version's
    // cache at once took code paths that steady state never runs, docs/benchmarks.md).
    if (kind == RankerKind.RANKING_EMBEDDING) {
      return new Recommendation(embeddingTop(rankingScoring, index, bundle.ranking().userVector(u), k, filter, users.movies(),
          users.start(u), users.end(u), diversity, deadlineNanos),
          Strategy.PERSONALIZED);
    }
    if (kind == RankerKind.RATING_EMBEDDING) {
      return new Recommendation(embeddingTop(mfScoring, null, bundle.mf().userVector(u), k, filter, users.movies(), users.start(u),
          users.end(u), diversity, deadlineNanos), Strategy.PERSONALIZED);
    }
    float[] scores = scratch();
    switch (kind) {
      case BLEND -> {
        rankingScoring.score(bundle.ranking().userVector(u), scores, deadlineNanos);
        blendEase(ratedBy(u), false, scores);
      }
      case NEIGHBORS -> neighbors.score(ratedBy(u), scores);
      case EASE -> ease.score(ratedBy(u), scores);
      case POPULARITY -> System.arraycopy(popularityScores, 0, scores, 0, popularityScores.length);
    }
    TopK.Filter allowed = exclude(scores, filter, users.movies(), users.start(u), users.end(u));
    return new Recommendation(select(scores, k, allowed, diversity), Strategy.PERSONALIZED);
  }

  /** Top-k for a new or anonymous user described by ratings (fold-in, no retraining). */
  public Recommendation recommendForRatings(Profile profile, int k, Filter filter, double diversity, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    float[] scores = scratch();
    switch (kind) {
      case RANKING_EMBEDDING -> rankingScoring.score(profileVector(profile), scores, deadlineNanos);
      case BLEND -> {
        rankingScoring.score(profileVector(profile), scores, deadlineNanos);
        blendEase(new Ranker.User(profile.movies(), profile.ratings(), null), true, scores);
      }
      case RATING_EMBEDDING -> mfScoring.score(Arrays.copyOf(mfFoldIn(profile), bundle.mf().dim()), scores, deadlineNanos);
      case NEIGHBORS -> neighbors.scorePreferences(new Ranker.User(profile.movies(), profile.ratings(), null), midpoint, scores);
      case EASE -> ease.scorePreferences(new Ranker.User(profile.movies(), profile.ratings(), null), midpoint, scores);
      case POPULARITY -> System.arraycopy(popularityScores, 0, scores, 0, popularityScores.length);
    }
    content.apply(profile.movies(), profile.ratings(), midpoint, span, scores);
    TopK.Filter allowed = exclude(scores, filter, profile.movies(), 0, profile.movies().length);
    return new Recommendation(select(scores, k, allowed, diversity), Strategy.FOLD_IN);
  }

  private float[] profileVector(Profile profile) {
    return vectors.get(VectorCache.CacheKey.profile("profile", profile),
        () -> bundle.foldIn().rankingVector(profile.movies(), profile.ratings(), midpoint, span));
  }

  /**
   * Mixes EASE's scores for {@code user} into the embedding scores already in {@code scores}, each
   * standardised, EASE taking the manifest's blend weight; stated preferences (a new user's
   * ratings) push disliked movies' neighbours down.
   */
  private void blendEase(Ranker.User user, boolean stated, float[] scores) {
    int items = bundle.catalog().size();
    float[] easeScores = BlendRanker.scratch(items);
    if (stated) {
      ease.scorePreferences(user, midpoint, easeScores);
    } else {
      ease.score(user, easeScores);
    }
    BlendRanker.combine(scores, easeScores, items, 1f - (float) bundle.spec().blendWeight());
  }

  private Recommendation coldStart(int k, Filter filter, Attributes attributes, double diversity) {
    DemographicPopularity demographic = bundle.demographic();
    float[] membership = demographic == null ? null
        : DemographicGroups.membership(attributes.age(), attributes.gender(), demographic.groupSizes());
    Strategy popular = filter.genreMask() != 0 ? Strategy.COLD_START_GENRE_POPULAR : Strategy.COLD_START_POPULAR;
    if (membership == null) {
      double weight = diversityWeight(diversity);
      TopK.Result walked = mostPopularAllowed(pool(k, weight), filter);
      if (walked != null) {
        return new Recommendation(rerank(walked, k, weight), popular);
      }
    }
    float[] scores = scratch();
    if (membership != null) {
      demographic.score(membership, scores);
    } else {
      System.arraycopy(popularityScores, 0, scores, 0, popularityScores.length);
    }
    List<Scored> top = select(scores, k, exclude(scores, new Filter(filter.genreMask(), filter.excluded(), true), null, 0, 0), diversity);
    return new Recommendation(top, membership != null ? Strategy.COLD_START_DEMOGRAPHIC : popular);
  }

  /**
   * The first {@code want} of the most rated movies that {@code filter} allows (genres, exclusions),
   * with their popularity as score; null when the kept prefix holds fewer and does not cover the
   * catalogue (the caller then passes over every movie).
   */
  private TopK.Result mostPopularAllowed(int want, Filter filter) {
    TopK.Filter allowed = candidates.allowing(filter.genreMask(), null, 0, 0, filter.excluded());
    int[] movies = new int[Math.min(want, mostPopular.length)];
    int found = 0;
    for (int i = 0; i < mostPopular.length && found < movies.length; i++) {
      if (allowed.accept(mostPopular[i])) {
        movies[found++] = mostPopular[i];
      }
    }
    if (found < want && mostPopular.length < popularityScores.length) {
      return null;
    }
    int[] kept = Arrays.copyOf(movies, found);
    float[] scores = new float[found];
    for (int i = 0; i < found; i++) {
      scores[i] = popularityScores[kept[i]];
    }
    return new TopK.Result(kept, scores);
  }

  /**
   * Takes excluded movies out of the running by scoring them -infinity (the top-k never returns
   * such a score): the user's rated movies in {@code rated[from, to)} unless the filter includes
   * them, and the filter's explicit exclusions. Cheaper than asking per candidate: with item
   * neighbours a user's rated movies are the best-scored of all, so per-candidate lookups ran once
   * for nearly every one of them. Returns the remaining per-candidate test (genres).
   */
  private TopK.Filter exclude(float[] scores, Filter filter, int[] rated, int from, int to) {
    if (!filter.includeRated() && rated != null) {
      for (int r = from; r < to; r++) {
        scores[rated[r]] = Float.NEGATIVE_INFINITY;
      }
    }
    for (int m : filter.excluded()) {
      scores[m] = Float.NEGATIVE_INFINITY;
    }
    long[] masks = bundle.genreMasks();
    long genres = filter.genreMask();
    return genres == 0 ? TopK.Filter.ALL : m -> (masks[m] & genres) != 0;
  }

  private List<Scored> select(float[] scores, int k, TopK.Filter allowed, double diversity) {
    double weight = diversityWeight(diversity);
    return rerank(TopK.top(scores, bundle.catalog().size(), pool(k, weight), allowed), k, weight);
  }

  /**
   * Top-k of an embedding model for a user with {@code vector} who rated {@code rated[from, to)}:
   * through the version's graph index when it has one and the filter leaves enough movies for it to
   * pay, otherwise exactly (the CPU kernel selects while it scores, without writing every score out).
   * Every filter holds exactly either way.
   */
  private List<Scored> embeddingTop(EmbeddingScoring scoring, MovieIndex graph, float[] vector, int k, Filter filter, int[] rated,
      int from, int to, double diversity, long deadlineNanos) throws InterruptedException, TimeoutException {
    double weight = diversityWeight(diversity);
    int pool = pool(k, weight);
    TopK.Filter allowed = candidates.allowing(filter.genreMask(), filter.includeRated() ? null : rated, from, to, filter.excluded());
    TopK.Result top = null;
    if (graph != null) {
      try {
        top = graph.top(vector, pool, allowed, candidates.acceptedShare(filter.genreMask()));
      } catch (java.io.IOException e) {
        // The index is memory-mapped: an I/O error here means the file system failed under it.
        // Exact scoring does not need it; said once per version, not once per call.
        if (!graphFailed.getAndSet(true)) {
          LOG.warn("version {}: graph index search failed ({}); answering by exact scoring", version,
              dev.recsys.models.console.Messages.describe(e));
        }
        top = null;
      }
    }
    if (top == null) {
      top = scoring.top(vector, pool, allowed, this::scratch, deadlineNanos);
    }
    return rerank(top, k, weight);
  }

  /** The re-ranking weight for a request's {@code diversity}: the version's default when the request says 0. */
  private double diversityWeight(double diversity) {
    return diversity > 0 ? diversity : defaultDiversity;
  }

  /** Candidates to select before re-ranking for diversity with {@code weight} (k when none). */
  private static int pool(int k, double weight) {
    return weight > 0 ? Math.max(k * RERANK_POOL_FACTOR, MIN_RERANK_POOL) : k;
  }

  /** The selection re-ranked for genre diversity when {@code weight} > 0, as the reply's movies. */
  private List<Scored> rerank(TopK.Result top, int k, double weight) {
    int[] movies = top.indexes();
    float[] relevance = top.scores();
    if (weight > 0) {
      int[] reranked = Diversifier.rerank(movies, relevance, bundle.genreMasks(), k, weight);
      float[] scores = new float[reranked.length];
      for (int i = 0; i < reranked.length; i++) {
        int m = reranked[i];
        for (int j = 0; j < movies.length; j++) {
          if (movies[j] == m) {
            scores[i] = relevance[j];
            break;
          }
        }
      }
      movies = reranked;
      relevance = scores;
    }
    List<Scored> out = new ArrayList<>(movies.length);
    for (int i = 0; i < movies.length; i++) {
      out.add(new Scored(movies[i], relevance[i]));
    }
    return out;
  }


  private Ranker.User ratedBy(int u) {
    UserRatings users = bundle.users();
    int from = users.start(u);
    int to = users.end(u);
    return new Ranker.User(Arrays.copyOfRange(users.movies(), from, to), Arrays.copyOfRange(users.ratings(), from, to), null);
  }

  private float[] scratch() {
    float[] buffer = SCORES.get();
    int items = bundle.catalog().size();
    if (buffer.length < items) {
      buffer = new float[items];
      SCORES.set(buffer);
    }
    return buffer;
  }


  // ----------------------------------------------------------------------------------- predict

  /** Predicted ratings; unknown users and movies get the documented baseline fallbacks. */
  public List<Prediction> predict(long userId, long[] movieIds) {
    int u = bundle.users().indexOf(userId);
    var scale = bundle.scale();
    var baseline = bundle.baseline();
    List<Prediction> out = new ArrayList<>(movieIds.length);
    for (long id : movieIds) {
      int m = bundle.catalog().indexOf(id);
      if (u >= 0 && m >= 0) {
        out.add(new Prediction(id, m, bundle.ratingModel().predict(u, m), Source.MODEL));
      } else if (m >= 0) {
        out.add(new Prediction(id, m, scale.clamp(baseline.predictUnknownUser(m)), Source.MOVIE_BASELINE));
      } else if (u >= 0) {
        out.add(new Prediction(id, -1, scale.clamp(baseline.predictUnknownMovie(u)), Source.USER_BASELINE));
      } else {
        out.add(new Prediction(id, -1, scale.clamp(baseline.mean()), Source.GLOBAL_MEAN));
      }
    }
    return out;
  }

  // ----------------------------------------------------------------------------------- cluster

  /** The segment of a known user. */
  public Segment cluster(long userId) {
    int u = bundle.users().indexOf(userId);
    if (u < 0) {
      throw RequestException.notFound(
          "user " + userId + " is unknown to model version " + version + "; send their ratings to cluster a new user");
    }
    float[] vector = switch (bundle.segmentation().representation()) {
      case Segmentation.EMBEDDING -> bundle.mf().userVector(u);
      case Segmentation.IMPLICIT -> bundle.segmentation().implicit().userVector(u);
      default -> bundle.profiles().affinity(u);
    };
    Centroids c = bundle.segmentation().users();
    return new Segment(bundle.assignments().userSegments()[u], c.distances(vector, 0), false);
  }

  /** The segment of a new user described by ratings. */
  public Segment cluster(Profile profile) {
    float[] vector;
    if (bundle.segmentation().representation().equals(Segmentation.EMBEDDING)) {
      vector = Arrays.copyOf(mfFoldIn(profile), bundle.mf().dim());
    } else if (implicitGram != null) {
      vector = bundle.segmentation().implicit().project(profile.movies(), implicitGram);
    } else {
      int genres = bundle.catalog().genres().size();
      vector = new float[genres];
      GenreAffinity.compute(profile.movies(), profile.ratings(), 0, profile.movies().length, bundle.genreMasks(), genres, vector);
    }
    Centroids c = bundle.segmentation().users();
    return new Segment(c.nearest(vector, 0), c.distances(vector, 0), true);
  }

  private float[] mfFoldIn(Profile profile) {
    return vectors.get(VectorCache.CacheKey.profile("mf-profile", profile),
        () -> FoldIn.ratingVector(bundle.mf(), profile.movies(), profile.ratings(), bundle.spec().mfL2()));
  }

  // ----------------------------------------------------------------------------------- similar

  /** Movies similar to a catalogue movie. */
  public Similar similar(long movieId, int k) {
    int m = bundle.catalog().indexOf(movieId);
    if (m < 0) {
      throw RequestException.notFound("movie " + movieId + " is not in the catalogue of model version " + version);
    }
    return new Similar(m, true, true, neighborsOf(m, k), List.of());
  }

  /**
   * Movies similar to the movie a title query resolves to.
   *
   * @param deadlineNanos when to give up finding the title ({@link System#nanoTime()} clock; {@link Long#MAX_VALUE}: never)
   * @throws TimeoutException when the deadline passes while the titles are searched
   */
  public Similar similar(String title, int k, long deadlineNanos) throws TimeoutException {
    List<TitleIndex.Match> matches = bundle.titles().search(title, 11, deadlineNanos);
    if (matches.isEmpty()) {
      throw RequestException.notFound("no movie matches the title '" + title + "'");
    }
    TitleIndex.Match best = matches.getFirst();
    // Other titles that matched as well as the best one (exact twins, or equally close misspellings).
    List<Integer> candidates = matches.stream().skip(1)
        .filter(m -> m.kind() == best.kind() && m.distance() == best.distance())
        .map(TitleIndex.Match::movie).toList();
    return new Similar(best.movie(), false, best.kind() == TitleIndex.Kind.EXACT, neighborsOf(best.movie(), k), candidates);
  }

  private List<Scored> neighborsOf(int movie, int k) {
    var table = bundle.similar();
    List<Scored> out = new ArrayList<>();
    for (int n = table.start(movie); n < table.end(movie) && out.size() < k; n++) {
      out.add(new Scored(table.neighbor(n), table.similarity(n)));
    }
    return out;
  }

  /**
   * A uniform sample of distinct known user ids, all of them when {@code count} reaches their number
   * (drawn with replacement, 10,000 draws from 943 users gave about 600 distinct ones, and a load
   * test over "every user" ran over two thirds of them).
   */
  public long[] sampleUsers(int count, long seed) {
    UserRatings users = bundle.users();
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int n = users.users();
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    long[] out = new long[Math.min(count, n)];
    // The first out.length steps of a Fisher-Yates shuffle.
    for (int i = 0; i < out.length; i++) {
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      out[i] = users.userId(order[i]);
    }
    return out;
  }

  /** Releases device memory (the batched scorer's); call once no request uses this engine. */
  @Override
  public void close() {
    rankingScoring.close();
    if (mfScoring != null) {
      mfScoring.close();
    }
    if (index != null) {
      try {
        index.close();
      } catch (java.io.IOException e) {
        // Nothing to recover: the mapping is released either way.
      }
    }
  }
}
