package dev.recsys.benchmarks;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.scoring.BlendRanker;
import dev.recsys.models.scoring.NeighborRanker;
import dev.recsys.models.scoring.Ranker;
import dev.recsys.models.scoring.TopK;
import dev.recsys.server.engine.ModelEngine;
import dev.recsys.server.engine.Types;
import dev.recsys.server.engine.VectorCache;
import dev.recsys.server.scoring.CpuScoring;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU one {@code Recommend} of a known user costs inside the server's engine (no gRPC, no
 * protobuf), for the version {@code bench/e2e.sh} serves, and the same call's parts run alone: the
 * embedding scores of every movie, EASE's scatter over the user's rated movies, the blend's
 * standardise-and-mix pass, and the top-k selection. Users cycle through up to 1,024 drawn uniformly
 * (with replacement) from the version's users (the load client's Zipf draw ranks a uniform sample,
 * so its mean is the same).
 * Compared with the CPU a no-op gRPC call costs on the same machine (bench/e2e.sh), this says how
 * close {@code Recommend} can come to the no-op's throughput with this model.
 *
 * <pre>java -jar benchmarks/target/recsys-benchmarks.jar RecommendBenchmark -p version=bench-registry/movielens/1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Three forks: the whole engine call moved by 80 -> 67 us from one fork to the next (JIT and memory
// layout), more than most changes it is used to judge (docs/benchmarks.md, run 16).
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class RecommendBenchmark {

  private static final int USERS = 1024;

  /** A published version folder (the e2e benchmark's production version). */
  @Param("bench-registry/movielens/1")
  String version;

  ModelBundle bundle;
  ModelEngine engine;
  long[] userIds;
  float[][] vectors;
  Ranker.User[] rated;
  NeighborRanker ease;
  float[] scores;
  float[] easeScores;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Path.of(version);
    Manifest manifest = ManifestCodec.read(dir.resolve(Manifest.FILE_NAME));
    bundle = ModelBundle.load(dir, manifest, true);
    engine = new ModelEngine(manifest.version(), bundle, new CpuScoring(bundle.ranking().movies()), VectorCache.NONE);
    userIds = engine.sampleUsers(USERS, 42);
    UserRatings users = bundle.users();
    vectors = new float[userIds.length][];
    rated = new Ranker.User[userIds.length];
    long ratings = 0;
    for (int i = 0; i < userIds.length; i++) {
      int u = users.indexOf(userIds[i]);
      vectors[i] = bundle.ranking().userVector(u);
      rated[i] = new Ranker.User(Arrays.copyOfRange(users.movies(), users.start(u), users.end(u)),
          Arrays.copyOfRange(users.ratings(), users.start(u), users.end(u)), null);
      ratings += rated[i].movies().length;
    }
    ease = bundle.ease() == null ? null : new NeighborRanker(bundle.ease(), true);
    scores = new float[bundle.catalog().size()];
    easeScores = new float[bundle.catalog().size()];
    System.out.printf("%n%s: ranking model '%s', %,d movies x %d, %d sampled users with %.1f ratings on average%n", version,
        bundle.spec().rankingModel(), bundle.catalog().size(), bundle.ranking().dim(), userIds.length, ratings / (double) userIds.length);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  private int nextUser() {
    next = next + 1 == userIds.length ? 0 : next + 1;
    return next;
  }

  /** The whole engine call, as {@code RecommenderService} makes it (k = 10, no filter). */
  @Benchmark
  public Object recommend() throws Exception {
    return engine.recommend(userIds[nextUser()], Types.Attributes.UNKNOWN, 10, Types.Filter.NONE, 0, Long.MAX_VALUE);
  }

  /** The engine call for a user the version does not know (cold start: the most rated movies). */
  @Benchmark
  public Object recommendUnknownUser() throws Exception {
    return engine.recommend(-1 - nextUser(), Types.Attributes.UNKNOWN, 10, Types.Filter.NONE, 0, Long.MAX_VALUE);
  }

  /** Every movie's embedding score (the kernel's full pass, as the blend needs it). */
  @Benchmark
  public float[] embeddingScores() {
    bundle.ranking().movies().score(vectors[nextUser()], scores);
    return scores;
  }

  /** EASE's scores: its weights scattered from every movie the user rated. */
  @Benchmark
  public float[] easeScatter() {
    if (ease == null) {
      throw new IllegalStateException(version + " has no EASE weights (its ranking model is '" + bundle.spec().rankingModel() + "')");
    }
    ease.score(rated[nextUser()], easeScores);
    return easeScores;
  }

  /** The blend's two standardisations and its mixing pass over two score arrays (the version's weights). */
  @Benchmark
  public float[] blendCombine() {
    BlendRanker.combine(scores, easeScores, scores.length, 1f - (float) bundle.spec().blendWeight());
    return scores;
  }

  /** The top-10 selection over the catalogue's scores. */
  @Benchmark
  public Object top10() {
    return TopK.top(scores, scores.length, 10, TopK.Filter.ALL);
  }
}
