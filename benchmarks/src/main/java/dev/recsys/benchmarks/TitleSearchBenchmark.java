package dev.recsys.benchmarks;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.catalog.TitleIndex;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import java.nio.file.Path;
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
 * Finding a movie by a misspelled title (what {@code SimilarMovies} by title does when no key
 * matches exactly: a pass over every title key), beside an exact title lookup, on a published
 * version's real catalogue. Queries are 256 of its titles, each with two neighbouring letters
 * swapped, cycled in order.
 *
 * <pre>java -jar benchmarks/target/recsys-benchmarks.jar TitleSearchBenchmark -p version=bench-registry/movielens/1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class TitleSearchBenchmark {

  private static final int QUERIES = 256;

  /** A published version folder. */
  @Param("bench-registry/movielens/1")
  String version;

  TitleIndex titles;
  String[] misspelled;
  String[] exact;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Path.of(version);
    ModelBundle bundle = ModelBundle.load(dir, ManifestCodec.read(dir.resolve(Manifest.FILE_NAME)), true);
    titles = bundle.titles();
    Catalog catalog = bundle.catalog();
    SplittableRandom random = new SplittableRandom(3);
    misspelled = new String[QUERIES];
    exact = new String[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      String title = catalog.title(random.nextInt(catalog.size()));
      exact[q] = title;
      char[] c = title.toCharArray();
      if (c.length >= 4) {
        int at = 1 + random.nextInt(c.length - 2);
        char t = c[at];
        c[at] = c[at + 1];
        c[at + 1] = t;
      }
      misspelled[q] = new String(c);
    }
  }

  private int nextQuery() {
    next = next + 1 == QUERIES ? 0 : next + 1;
    return next;
  }

  /** A title with two letters swapped: exact lookup misses, then every key is considered. */
  @Benchmark
  public Object misspelledTitle() {
    return titles.search(misspelled[nextQuery()], 10);
  }

  /**
   * The same titles as written: nearly all hit the exact lookup (the baseline); a few take the
   * approximate path (a title ending in a year-like number is read as the year).
   */
  @Benchmark
  public Object titleAsWritten() {
    return titles.search(exact[nextQuery()], 10);
  }
}
