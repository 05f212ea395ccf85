package dev.recsys.trainer.topn;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.recsys.models.console.Progress;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.models.scoring.TopK;
import dev.recsys.trainer.data.RatingsTable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): the item-item weight
 * matrix {@code B} minimising {@code |X - XB|² + λ|B|²} with a zero diagonal, in closed form:
 * {@code P = (XᵀX + λI)⁻¹}, {@code B_ji = -P_ji / P_ii}. A user's score for movie {@code i} is the
 * sum of {@code B_ji} over the movies {@code j} they rated. {@code X} is binary (rated or not).
 *
 * <p>The Gram inverse is dense, so the model is fitted over the movies with at least
 * {@link Config#minSupport()} training ratings, and refused with {@link TooLargeException} when
 * more than {@link Config#maxItems()} remain (memory {@link #HEAP_BYTES_PER_ENTRY}{@code  n²} bytes
 * of heap and {@link #NATIVE_BYTES_PER_ENTRY}{@code  n²} in libtorch during a search, time
 * {@code n³}); other movies get no weights (score 0).
 */
public final class Ease {

  /**
   * Heap bytes per entry of the {@code n x n} matrices while a λ search runs: the Gram matrix and
   * the inverse read back (doubles), the weights of the model being fitted and of the best so far
   * (floats).
   */
  public static final long HEAP_BYTES_PER_ENTRY = 24;

  /** Bytes per entry that libtorch holds during an inverse: its input, its output, the LU workspace. */
  public static final long NATIVE_BYTES_PER_ENTRY = 24;

  /**
   * @param lambda L2 penalty on the weights (Steck's λ; hundreds for MovieLens-sized data)
   * @param minSupport fewest training ratings for a movie to take part
   * @param maxItems most movies the dense inverse is allowed over
   */
  public record Config(double lambda, int minSupport, int maxItems) {
    public Config {
      if (!(lambda > 0) || !Double.isFinite(lambda)) {
        throw new IllegalArgumentException("EASE lambda must be a positive number, got " + lambda);
      }
      if (minSupport < 1 || maxItems < 2) {
        throw new IllegalArgumentException("EASE min support must be >= 1 and max items >= 2, got " + minSupport + ", " + maxItems);
      }
    }

    public static Config defaults() {
      return new Config(250, 3, 8_000);
    }

    public Config withLambda(double l) {
      return new Config(l, minSupport, maxItems);
    }
  }

  /** Thrown when the catalogue is over the configured size for a dense inverse. */
  public static final class TooLargeException extends Exception {
    TooLargeException(String message) {
      super(message);
    }
  }

  /**
   * A fitted model: the movies it covers (ascending catalogue indexes) and the weights between
   * them, row-major: {@code weights[a * kept.length + b]} is the weight from the rated movie
   * {@code kept[a]} to the candidate {@code kept[b]}. Not modified after fitting.
   */
  public record Model(int items, int[] kept, float[] weights, double lambda) implements Ranker {

    @Override
    public void score(User user, float[] out) {
      Arrays.fill(out, 0, items, 0f);
      int n = kept.length;
      // Rows are summed into a dense array of the covered movies (a loop the JIT vectorises), then
      // spread to catalogue positions once, instead of a scattered add per rated movie.
      float[] sum = new float[n];
      for (int movie : user.movies()) {
        int a = Arrays.binarySearch(kept, movie);
        if (a < 0) {
          continue;
        }
        int row = a * n;
        for (int b = 0; b < n; b++) {
          sum[b] += weights[row + b];
        }
      }
      for (int b = 0; b < n; b++) {
        out[kept[b]] = sum[b];
      }
    }

    /**
     * The weights as a per-movie table that the server's neighbour ranker sums: for each rated
     * movie, its {@code perMovie} largest weights by magnitude (the negative ones too: they push
     * down what the rated movie argues against), largest value first.
     */
    public ItemNeighbors pruned(int perMovie) {
      return table(perMovie, true);
    }

    /**
     * For each movie, its {@code perMovie} largest positive weights, largest first: the movies its
     * raters most distinctively also rate (the similar-movies view of EASE).
     */
    public ItemNeighbors strongest(int perMovie) {
      return table(perMovie, false);
    }

    private ItemNeighbors table(int perMovie, boolean signed) {
      int n = kept.length;
      int keep = Math.min(perMovie, n - 1);
      int[] offsets = new int[items + 1];
      int[][] chosen = new int[n][];
      IntStream.range(0, n).parallel().forEach(a -> chosen[a] = largest(a, keep, signed));
      for (int m = 0, a = 0; m < items; m++) {
        boolean covered = a < n && kept[a] == m;
        offsets[m + 1] = offsets[m] + (covered ? chosen[a].length : 0);
        if (covered) {
          a++;
        }
      }
      int[] neighbors = new int[offsets[items]];
      float[] similarities = new float[offsets[items]];
      for (int a = 0; a < n; a++) {
        int at = offsets[kept[a]];
        for (int b : chosen[a]) {
          neighbors[at] = kept[b];
          similarities[at++] = weights[a * n + b];
        }
      }
      return new ItemNeighbors(offsets, neighbors, similarities);
    }

    /**
     * Column indexes of row {@code a}'s {@code keep} largest weights (by magnitude when
     * {@code signed}, else positive ones by value), sorted by weight descending.
     */
    private int[] largest(int a, int keep, boolean signed) {
      int n = kept.length;
      int row = a * n;
      float[] key = new float[n];
      for (int b = 0; b < n; b++) {
        key[b] = signed ? Math.abs(weights[row + b]) : weights[row + b];
      }
      int[] top = TopK.select(key, n, keep, b -> b != a && (signed ? weights[row + b] != 0 : weights[row + b] > 0));
      return Arrays.stream(top).boxed()
          .sorted((x, y) -> Float.compare(weights[row + y], weights[row + x])).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int items() {
      return items;
    }
  }

  private Ease() {}

  /** The movies EASE would cover on {@code train}: those with at least {@code minSupport} ratings. */
  public static int[] coveredMovies(RatingsTable train, int minSupport) {
    int[] counts = train.movieCounts();
    return IntStream.range(0, counts.length).filter(m -> counts[m] >= minSupport).toArray();
  }

  /**
   * Fits EASE on the binary matrix of {@code train}.
   *
   * @throws TooLargeException when more than {@code maxItems} movies have enough support
   */
  public static Model fit(RatingsTable train, Config config, Progress progress) throws TooLargeException {
    return fit(gram(train, config, progress), config.lambda(), progress);
  }

  /**
   * The Gram matrix {@code XᵀX} of {@code train} over the movies EASE covers: computed once, it
   * serves every λ of a search ({@link #fit(Gram, double, Progress)}).
   *
   * @param kept the covered movies, ascending catalogue indexes
   * @param items catalogue size
   * @param values {@code kept.length²} entries, row-major; a fit adds λ to the diagonal while it
   *     inverts and then puts the counts back, so fits from one Gram run one at a time
   */
  public record Gram(int[] kept, int items, double[] values) {}

  /**
   * @throws TooLargeException when more than {@code config.maxItems()} movies have
   *     {@code config.minSupport()} ratings
   */
  public static Gram gram(RatingsTable train, Config config, Progress progress) throws TooLargeException {
    int[] kept = coveredMovies(train, config.minSupport());
    int n = kept.length;
    if (n > config.maxItems()) {
      throw new TooLargeException(String.format(Locale.ROOT,
          "EASE skipped: %,d movies have >= %d ratings, over the limit of %,d for a dense %,d x %,d inverse (about %,d MB of heap "
              + "and %,d MB in libtorch); raise the limit or the minimum support", n, config.minSupport(), config.maxItems(), n, n,
          HEAP_BYTES_PER_ENTRY * n * n >> 20, NATIVE_BYTES_PER_ENTRY * n * n >> 20));
    }
    int[] column = new int[train.numMovies()];
    Arrays.fill(column, -1);
    for (int a = 0; a < n; a++) {
      column[kept[a]] = a;
    }
    progress.detail("Gram matrix");
    return new Gram(kept, train.numMovies(), gram(train, column, n));
  }

  /** EASE with penalty {@code lambda} from a Gram matrix. */
  public static Model fit(Gram g, double lambda, Progress progress) {
    int n = g.kept().length;
    double[] gram = g.values();
    // λ goes on the diagonal for the inverse only: the diagonal is put back so the next λ starts
    // from the same counts.
    double[] diagonal = new double[n];
    for (int a = 0; a < n; a++) {
      diagonal[a] = gram[a * n + a];
      gram[a * n + a] += lambda;
    }
    progress.detail("inverse of " + n + " x " + n);
    double[] p;
    try {
      p = inverse(gram, n, lambda);
    } finally {
      for (int a = 0; a < n; a++) {
        gram[a * n + a] = diagonal[a];
      }
    }
    float[] weights = new float[n * n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        // B_ab = -P_ab / P_bb: column b is scaled by its own diagonal; the diagonal is zero.
        weights[a * n + b] = a == b ? 0f : (float) (-p[a * n + b] / p[b * n + b]);
      }
    }
    return new Model(g.items(), g.kept(), weights, lambda);
  }

  /**
   * The inverse of the regularised Gram matrix, by libtorch (through DJL): the inverse is the whole
   * cost of a fit ({@code n³}), and libtorch's LAPACK ran it 5.8x faster than EJML's multi-threaded
   * blocked Cholesky on the 3,706 movies of the ml-1m shape (2.3 s against 13.4 s on 2 cores,
   * measured side by side in one JVM). Double precision, as the weights divide by the inverse's
   * diagonal.
   */
  private static synchronized double[] inverse(double[] gram, int n, double lambda) {
    // The trainer runs libtorch on one thread (NativeSettings); this one call uses every core, which
    // took the inverse from 4.5 s to 2.3 s on the 2-core VM. Synchronized: libtorch's thread count
    // is global. On the CPU whatever the engine's default device (a GPU image would give slightly
    // different weights).
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      // After the manager: the engine must have loaded libtorch.
      int threads = JniUtils.getNumThreads();
      JniUtils.setNumThreads(Runtime.getRuntime().availableProcessors());
      double[] p;
      try {
        p = manager.create(gram, new Shape(n, n)).inverse().toDoubleArray();
      } finally {
        JniUtils.setNumThreads(threads);
      }
      for (int a = 0; a < n; a++) {
        // A positive diagonal is what an inverse of a positive definite matrix must have.
        if (!(p[a * n + a] > 0) || !Double.isFinite(p[a * n + a])) {
          throw new IllegalStateException("EASE: the inverse of the regularised Gram matrix has diagonal " + p[a * n + a]
              + " at movie column " + a + " (lambda " + lambda + "); the matrix is not positive definite");
        }
      }
      return p;
    }
  }

  /**
   * {@code XᵀX} over the covered movies. Rows are split among threads by residue, so each thread
   * writes its own rows and no locking is needed; cost is the sum over users of their covered
   * ratings squared.
   */
  private static double[] gram(RatingsTable train, int[] column, int n) {
    double[] g = new double[n * n];
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    IntStream.range(0, threads).parallel().forEach(t -> {
      int[] cols = new int[train.numMovies()];
      for (int u = 0; u < train.numUsers(); u++) {
        int c = 0;
        for (int r = train.userStart(u); r < train.userEnd(u); r++) {
          int a = column[train.movie(r)];
          if (a >= 0) {
            cols[c++] = a;
          }
        }
        for (int x = 0; x < c; x++) {
          int a = cols[x];
          if (a % threads != t) {
            continue;
          }
          int row = a * n;
          for (int y = 0; y < c; y++) {
            g[row + cols[y]] += 1;
          }
        }
      }
    });
    return g;
  }
}
