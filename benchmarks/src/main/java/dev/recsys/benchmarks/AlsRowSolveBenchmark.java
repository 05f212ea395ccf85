package dev.recsys.benchmarks;

import dev.recsys.trainer.als.RowSolves;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One half-iteration of implicit ALS (every user row solved by four conjugate-gradient steps against
 * the movie factors and their Gram matrix), in the ml-1m shape: 6,040 users with {@code perUser}
 * ratings each over 3,706 movies, width {@code dim}. The same call in two JVMs: one started with
 * {@code --add-modules jdk.incubator.vector} (the trainer's SIMD kernels), one without (plain Java),
 * so the vectorised time is read as a ratio to the plain one measured in the same run.
 *
 * <pre>java -jar benchmarks/target/recsys-benchmarks.jar AlsRowSolveBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AlsRowSolveBenchmark {

  static final int USERS = 6040;
  static final int MOVIES = 3706;

  @Param({"64"})
  int dim;

  @Param({"165"})
  int perUser;

  float[] users;
  float[] movies;
  int[] columns;
  double[] gram;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    movies = new float[MOVIES * dim];
    for (int i = 0; i < movies.length; i++) {
      movies[i] = (float) (random.nextGaussian() * 0.1);
    }
    users = new float[USERS * dim];
    columns = random.ints((long) USERS * perUser, 0, MOVIES).toArray();
    gram = new double[dim * dim];
    for (int m = 0; m < MOVIES; m++) {
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          gram[a * dim + b] += 0.1 * movies[m * dim + a] * movies[m * dim + b];
        }
      }
    }
  }

  private float[] halfIteration() {
    float[] x = users.clone();
    RowSolves.solve(x, USERS, movies, dim, gram,
        RowSolves.observations(u -> u * perUser, u -> (u + 1) * perUser, k -> columns[k], k -> 1),
        (row, count, out) -> Arrays.fill(out, 0.01 * (count + 0.1 * MOVIES)), 4);
    return x;
  }

  /** With the Vector API: the launch the trainer's scripts use. */
  @Benchmark
  @Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
  public float[] vectorKernels() {
    if (!RowSolves.vectorised()) {
      throw new IllegalStateException("the fork was meant to have the Vector API");
    }
    return halfIteration();
  }

  /** Without it: plain Java, the baseline (explicit arguments: a fork would otherwise inherit the launcher's). */
  @Benchmark
  @Fork(value = 1, jvmArgs = {"-Xmx2g"})
  public float[] plainJavaKernels() {
    if (RowSolves.vectorised()) {
      throw new IllegalStateException("the fork was meant to run without the Vector API");
    }
    return halfIteration();
  }
}
