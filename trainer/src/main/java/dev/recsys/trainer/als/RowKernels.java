package dev.recsys.trainer.als;

/**
 * The two loops a row solve spends its time in (most of an ALS fit's), on float vectors of the
 * factor width {@code w}. Two implementations with the same contract: {@link VectorRowKernels}
 * (the JDK's Vector API, SIMD) where the JVM was started with {@code --add-modules
 * jdk.incubator.vector}, and {@link ScalarRowKernels} (plain Java) otherwise. They differ only in
 * the order of float additions; each fixes its order, so a fit is the same on every run on one
 * machine. An instance may hold scratch space: one per thread ({@link #create()}).
 */
abstract sealed class RowKernels permits ScalarRowKernels, VectorRowKernels {

  /** The Vector API's module, an incubator module that a JVM resolves only when asked to. */
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  private static final boolean VECTORISED = choose();

  /** New kernels for one thread: the vectorised ones when the Vector API is available, else the plain-Java ones. */
  static RowKernels create() {
    return VECTORISED ? new VectorRowKernels() : new ScalarRowKernels();
  }

  /** True when {@link #create()} gives the vectorised implementation. */
  static boolean vectorised() {
    return VECTORISED;
  }

  private static boolean choose() {
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
      return true;
    }
    // Said once, where the trainer's progress goes: the plain loops are correct, only slower.
    System.err.println("note: ALS runs on plain-Java loops; start java with --add-modules " + VECTOR_MODULE
        + " for the vectorised ones (about 4-5x faster with AVX2)");
    return false;
  }

  /** {@code out = m p} for the {@code w x w} row-major matrix {@code m}. */
  final void multiply(float[] m, float[] p, float[] out, int w) {
    for (int a = 0; a < w; a++) {
      out[a] = dot(m, a * w, p, w);
    }
  }

  /** The dot product of {@code p} with the {@code w} values of {@code x} from {@code base}. */
  abstract float dot(float[] x, int base, float[] p, int w);

  /**
   * {@code out += Σ_k (y_k · p) y_k} over {@code count} rows of {@code y}: row {@code k} starts at
   * {@code y[columns[k] * w]}.
   */
  final void accumulate(float[] y, int[] columns, int count, float[] p, float[] out, int w) {
    combine(y, columns, null, count, p, out, w);
  }

  /**
   * {@code out += Σ_k (t_k - y_k · p) y_k} over {@code count} rows of {@code y} as in {@link
   * #accumulate}, with {@code t_k = targets[k]}: a row's right-hand side and its product in one
   * pass (a conjugate-gradient solve's first residual).
   */
  final void residual(float[] y, int[] columns, float[] targets, int count, float[] p, float[] out, int w) {
    combine(y, columns, targets, count, p, out, w);
  }

  /** {@code out += Σ_k c_k y_k} with {@code c_k = y_k · p}, or {@code t_k - y_k · p} when {@code targets} is given. */
  abstract void combine(float[] y, int[] columns, float[] targets, int count, float[] p, float[] out, int w);
}
