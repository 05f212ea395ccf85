package dev.recsys.trainer.data;

import java.util.SplittableRandom;

/**
 * The hidden structure behind a {@link SyntheticMovieLens} set: segment taste centres, movie latent
 * vectors, biases, genres, years and popularity, and the per-segment sampling distributions. Built
 * from the seed alone (its own random stream), so a test can rebuild it to check what the files
 * carry. Memory is O(segments x movies + movies x dim); nothing here grows with users or ratings.
 *
 * <p>Scales: movie vectors have N(0, 1) entries and centres unit length, so {@code centre . vector}
 * is N(0, 1) over the catalogue; that makes the selection sharpness and the taste scale mean the same
 * thing whatever the latent dimension.
 */
final class SyntheticWorld {

  static final String[] GENRES = {
    "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
    "Western"
  };

  /** Segment picks weigh a movie by exp(SHARPNESS * centre . vector): a 1-sd aligned movie ~2.7x. */
  static final double SHARPNESS = 1.0;
  /** Norm of a user's personal deviation from the segment centre (the centre has norm 1). */
  static final double PERSONAL_SPREAD = 0.5;
  /** Std of the taste term over the whole catalogue, in stars. */
  static final double TASTE_STD = 0.6;
  static final double MOVIE_BIAS_STD = 0.5;
  static final double USER_BIAS_STD = 0.3;
  /** Mean rating the set should end near, once the positive selection of picks is accounted for. */
  static final double TARGET_MEAN = 3.5;
  /**
   * A genre is assigned when the movie's projection on the genre direction (plus a little noise, so
   * genres are informative but not a deterministic function of the vector) exceeds this: P(N(0,1.09)
   * > 1.4) ~ 9%, i.e. ~1.6 genres per movie, like MovieLens.
   */
  static final double GENRE_THRESHOLD = 1.4;
  static final double GENRE_NOISE = 0.3;
  /** Segment sizes follow Zipf with this exponent: unequal (7 segments: 25% down to 9%), none tiny. */
  static final double SEGMENT_ZIPF = 0.5;

  final int movies;
  final int dim;
  final int segments;
  final double[] centres; // segments x dim, unit rows
  final float[] vectors; // movies x dim
  final float[] movieBias;
  final long[] genreMasks;
  final int[] years;
  final double[] popularityCdf;
  final double[][] segmentCdf;
  final double[] segmentSizeCdf;
  /** Multiplies {@code taste . vector} so the term has {@link #TASTE_STD} over the catalogue. */
  final double tasteScale;
  /**
   * Global mean, lowered by the expected taste term of a pick: tilting N(0, 1) alignments by
   * exp(SHARPNESS x) shifts their mean by SHARPNESS, on the taste-driven share of picks. The mean
   * rating ends a little below TARGET_MEAN (~3.4) as heavy users run out of aligned movies and
   * ratings clip at 5.
   */
  final double globalMean;

  private SyntheticWorld(int movies, SyntheticMovieLens.Config config) {
    this.movies = movies;
    this.dim = config.latentDim();
    this.segments = config.segments();
    this.centres = new double[segments * dim];
    this.vectors = new float[movies * dim];
    this.movieBias = new float[movies];
    this.genreMasks = new long[movies];
    this.years = new int[movies];
    this.popularityCdf = new double[movies];
    this.segmentCdf = new double[segments][movies];
    this.segmentSizeCdf = new double[segments];
    this.tasteScale = TASTE_STD / Math.sqrt(1 + PERSONAL_SPREAD * PERSONAL_SPREAD);
    this.globalMean = TARGET_MEAN - tasteScale * config.tasteShare() * SHARPNESS;
  }

  /** The world of {@code seed}; the same arguments always give the same world. */
  static SyntheticWorld create(long seed, int movies, SyntheticMovieLens.Config config) {
    SyntheticWorld w = new SyntheticWorld(movies, config);
    SplittableRandom random = new SplittableRandom(seed);
    int d = w.dim;
    for (int s = 0; s < w.segments; s++) {
      unitGaussian(random, w.centres, s * d, d);
    }
    double[] genreDirections = new double[GENRES.length * d];
    for (int g = 0; g < GENRES.length; g++) {
      unitGaussian(random, genreDirections, g * d, d);
    }
    for (int m = 0; m < movies; m++) {
      for (int j = 0; j < d; j++) {
        w.vectors[m * d + j] = (float) random.nextGaussian();
      }
      w.movieBias[m] = (float) (random.nextGaussian() * MOVIE_BIAS_STD);
      w.genreMasks[m] = genres(random, w.vectors, m * d, genreDirections, d);
      w.years[m] = 1930 + random.nextInt(90);
    }
    // Popularity is Zipf over a random order of the catalogue, so it is independent of taste and of
    // the movie id.
    int[] rank = Shuffle.permutation(movies, random);
    double[] popularity = new double[movies];
    for (int m = 0; m < movies; m++) {
      popularity[m] = 1.0 / (rank[m] + 1);
      w.popularityCdf[m] = popularity[m];
    }
    cumulate(w.popularityCdf);
    // One CDF per segment: popularity tilted towards the centre. This is the only O(segments x
    // movies) step; each pick is then a binary search.
    for (int s = 0; s < w.segments; s++) {
      double[] cdf = w.segmentCdf[s];
      for (int m = 0; m < movies; m++) {
        cdf[m] = popularity[m] * Math.exp(SHARPNESS * w.alignment(s, m));
      }
      cumulate(cdf);
    }
    for (int s = 0; s < w.segments; s++) {
      w.segmentSizeCdf[s] = 1.0 / Math.pow(s + 1, SEGMENT_ZIPF);
    }
    cumulate(w.segmentSizeCdf);
    return w;
  }

  /** {@code centre(segment) . vector(movie)}: N(0, 1) over the catalogue. */
  double alignment(int segment, int movie) {
    double dot = 0;
    for (int j = 0; j < dim; j++) {
      dot += centres[segment * dim + j] * vectors[movie * dim + j];
    }
    return dot;
  }

  /** A user's taste: the segment centre plus a personal deviation of norm ~PERSONAL_SPREAD. */
  double[] taste(int segment, SplittableRandom random) {
    double[] t = new double[dim];
    double sd = PERSONAL_SPREAD / Math.sqrt(dim);
    for (int j = 0; j < dim; j++) {
      t[j] = centres[segment * dim + j] + random.nextGaussian() * sd;
    }
    return t;
  }

  /** The taste term of a rating, in stars. */
  double tasteTerm(double[] taste, int movie) {
    double dot = 0;
    for (int j = 0; j < dim; j++) {
      dot += taste[j] * vectors[movie * dim + j];
    }
    return tasteScale * dot;
  }

  /** Index drawn from a normalised CDF by inverse transform. */
  static int sample(double[] cdf, SplittableRandom random) {
    int i = java.util.Arrays.binarySearch(cdf, random.nextDouble());
    return Math.min(cdf.length - 1, i >= 0 ? i + 1 : -i - 1);
  }

  private static long genres(SplittableRandom random, float[] vectors, int offset, double[] directions, int d) {
    long mask = 0;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int g = 0; g < GENRES.length; g++) {
      double score = random.nextGaussian() * GENRE_NOISE;
      for (int j = 0; j < d; j++) {
        score += vectors[offset + j] * directions[g * d + j];
      }
      if (score > GENRE_THRESHOLD) {
        mask |= 1L << g;
      }
      if (score > bestScore) {
        bestScore = score;
        best = g;
      }
    }
    // Every movie gets at least its closest genre, as no real movie is left without one here.
    return mask == 0 ? 1L << best : mask;
  }

  private static void unitGaussian(SplittableRandom random, double[] out, int offset, int d) {
    double norm = 0;
    for (int j = 0; j < d; j++) {
      out[offset + j] = random.nextGaussian();
      norm += out[offset + j] * out[offset + j];
    }
    norm = Math.sqrt(norm);
    for (int j = 0; j < d; j++) {
      out[offset + j] /= norm;
    }
  }

  private static void cumulate(double[] weights) {
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      weights[i] = sum;
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= sum;
    }
    weights[weights.length - 1] = 1.0;
  }
}
