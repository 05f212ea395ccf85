package dev.recsys.models.scoring;

/**
 * A weighted blend of two rankers' scores. Scores of different models live on different scales
 * (EASE sums of weights, dot products of factors), so each model's scores for the user are first
 * standardised over the catalogue (zero mean, unit variance), then mixed:
 * {@code weight · z(first) + (1 - weight) · z(second)}. Immutable and thread-safe; the second
 * model's scores go to a per-thread scratch array.
 *
 * @param first the first ranker (e.g. EASE's item weights)
 * @param second the second ranker (e.g. an embedding model); both score the same catalogue
 * @param weight the first ranker's share, in [0, 1]
 */
public record BlendRanker(Ranker first, Ranker second, float weight) implements Ranker {

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  public BlendRanker {
    if (first.items() != second.items()) {
      throw new IllegalArgumentException("blended rankers score " + first.items() + " and " + second.items() + " movies");
    }
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("blend weight must be in [0, 1], got " + weight);
    }
  }

  @Override
  public void score(User user, float[] out) {
    float[] other = scratch(items());
    first.score(user, out);
    second.score(user, other);
    combine(out, other, items(), weight);
  }

  /** {@code into[i] = weight · z(into)[i] + (1 - weight) · z(other)[i]} over the first {@code n} entries. */
  public static void combine(float[] into, float[] other, int n, float weight) {
    float[] a = standardisation(into, n);
    float[] b = standardisation(other, n);
    float wa = weight * a[1];
    float wb = (1 - weight) * b[1];
    float shift = -(wa * a[0] + wb * b[0]);
    for (int i = 0; i < n; i++) {
      into[i] = wa * into[i] + wb * other[i] + shift;
    }
  }

  /**
   * Mean and inverse standard deviation (0 for constant scores, which then add nothing). Four
   * independent partial sums: one running double sum is a chain of dependent additions (about four
   * cycles each), and this pass was 11% of the server's CPU under a blended model (JFR,
   * docs/benchmarks.md run 8).
   */
  static float[] standardisation(float[] s, int n) {
    double sum0 = 0;
    double sum1 = 0;
    double sum2 = 0;
    double sum3 = 0;
    double sq0 = 0;
    double sq1 = 0;
    double sq2 = 0;
    double sq3 = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      double a = s[i];
      double b = s[i + 1];
      double c = s[i + 2];
      double d = s[i + 3];
      sum0 += a;
      sum1 += b;
      sum2 += c;
      sum3 += d;
      sq0 += a * a;
      sq1 += b * b;
      sq2 += c * c;
      sq3 += d * d;
    }
    for (; i < n; i++) {
      sum0 += s[i];
      sq0 += (double) s[i] * s[i];
    }
    double sum = (sum0 + sum1) + (sum2 + sum3);
    double squares = (sq0 + sq1) + (sq2 + sq3);
    double mean = sum / n;
    double variance = Math.max(0, squares / n - mean * mean);
    return new float[] {(float) mean, variance > 0 ? (float) (1 / Math.sqrt(variance)) : 0f};
  }

  /** A per-thread array of at least {@code n} floats. */
  public static float[] scratch(int n) {
    float[] buffer = SCRATCH.get();
    if (buffer.length < n) {
      buffer = new float[n];
      SCRATCH.set(buffer);
    }
    return buffer;
  }

  @Override
  public int items() {
    return first.items();
  }
}
