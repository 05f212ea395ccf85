package dev.recsys.benchmarks;

import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;
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
 * One user scored against a catalogue of {@code items} movies of dimension {@code dim}, then the top
 * 10 taken, both as two passes (scores written out, then selected) and fused ({@link
 * DotScorer#top}); beside it, the bandwidth baseline: a read of exactly as many bytes as the kernel reads
 * (the movie matrix plus the biases), split into two equal {@code int[]} halves compared with
 * {@link java.util.Arrays#mismatch(int[], int[])}. The JDK compiles that to its vectorised mismatch
 * intrinsic (32-byte loads on AVX2, no arithmetic to speak of), the fastest way measured here to
 * stream bytes through one core: a summing loop stays scalar, and {@code Arrays.hashCode}'s
 * intrinsic is bound by its multiply chain (about 1 ns per int here), not by memory. So it stands for
 * the memory system's limit on this machine, in the same run, and the kernel's time is reported as a
 * ratio to it.
 *
 * <pre>java -jar benchmarks/target/recsys-benchmarks.jar ScoringBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class ScoringBenchmark {

  @Param({"10000", "100000", "1000000"})
  int items;

  @Param({"32", "64", "128"})
  int dim;

  DotScorer scorer;
  float[] user;
  float[] scores;
  int[] firstHalf;
  int[] secondHalf;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    float[] matrix = new float[items * dim];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = (float) random.nextGaussian();
    }
    float[] biases = new float[items];
    for (int i = 0; i < items; i++) {
      biases[i] = (float) random.nextGaussian();
    }
    scorer = new DotScorer(matrix, biases, items, dim);
    user = new float[dim];
    for (int k = 0; k < dim; k++) {
      user[k] = (float) random.nextGaussian();
    }
    scores = new float[items];
    int half = items * (dim + 1) / 2;
    firstHalf = new int[half];
    for (int i = 0; i < half; i++) {
      firstHalf[i] = random.nextInt();
    }
    // Equal contents in a separate array, so the comparison reads both to the end.
    secondHalf = firstHalf.clone();
    quantise(matrix, biases);
  }

  // An experiment, not a served path: the movie matrix as int8 with one scale per movie
  // (v ≈ scale · q, q in [-127, 127]), blocked like DotScorer's columns, to measure what a
  // quantised first pass would cost per call before building one.

  /** Movies per block, as in {@link DotScorer}. */
  static final int INT8_BLOCK = 65536;

  byte[][][] int8Blocks;
  float[][] int8Scales;
  float[][] int8Biases;
  float[] int8Out;

  private void quantise(float[] matrix, float[] biases) {
    int block = INT8_BLOCK;
    int blocks = (items + block - 1) / block;
    int8Blocks = new byte[blocks][][];
    int8Scales = new float[blocks][];
    int8Biases = new float[blocks][];
    for (int b = 0; b < blocks; b++) {
      int first = b * block;
      int length = Math.min(block, items - first);
      int8Blocks[b] = new byte[dim][length];
      int8Scales[b] = new float[length];
      int8Biases[b] = Arrays.copyOfRange(biases, first, first + length);
      for (int i = 0; i < length; i++) {
        float largest = 0;
        for (int k = 0; k < dim; k++) {
          largest = Math.max(largest, Math.abs(matrix[(first + i) * dim + k]));
        }
        float scale = largest == 0 ? 1 : largest / 127;
        int8Scales[b][i] = scale;
        for (int k = 0; k < dim; k++) {
          int8Blocks[b][k][i] = (byte) Math.round(matrix[(first + i) * dim + k] / scale);
        }
      }
    }
    int8Out = new float[block];
  }

  /** The experiment's kernel: every movie's approximate score from the int8 matrix, block by block. */
  @Benchmark
  public float[] int8Score() {
    for (int b = 0; b < int8Blocks.length; b++) {
      byte[][] columns = int8Blocks[b];
      int length = int8Scales[b].length;
      Arrays.fill(int8Out, 0, length, 0f);
      for (int k = 0; k + 4 <= dim; k += 4) {
        int8Axpy4(user[k], columns[k], user[k + 1], columns[k + 1], user[k + 2], columns[k + 2], user[k + 3], columns[k + 3], length);
      }
      float[] scale = int8Scales[b];
      float[] bias = int8Biases[b];
      for (int i = 0; i < length; i++) {
        int8Out[i] = bias[i] + scale[i] * int8Out[i];
      }
      System.arraycopy(int8Out, 0, scores, b * INT8_BLOCK, length);
    }
    return scores;
  }

  private void int8Axpy4(float u0, byte[] a, float u1, byte[] b, float u2, byte[] c, float u3, byte[] d, int length) {
    float[] out = int8Out;
    for (int i = 0; i < length; i++) {
      out[i] += u0 * a[i] + u1 * b[i] + u2 * c[i] + u3 * d[i];
    }
  }

  /** The kernel: every movie's score. */
  @Benchmark
  public float[] score() {
    scorer.score(user, scores);
    return scores;
  }

  /** The kernel plus the partial top-10 selection: what Recommend computes. */
  @Benchmark
  public int[] scoreAndTop10() {
    scorer.score(user, scores);
    return TopK.select(scores, items, 10, TopK.Filter.ALL);
  }

  /** The same selection fused into the kernel: each block's scores selected from while in L2. */
  @Benchmark
  public TopK.Result fusedScoreTop10() {
    return scorer.top(user, 10, TopK.Filter.ALL);
  }

  /** Reading as many bytes as the kernel reads, as fast as the JDK can (the bandwidth ceiling). */
  @Benchmark
  public int bandwidthBaseline() {
    return Arrays.mismatch(firstHalf, secondHalf);
  }
}
