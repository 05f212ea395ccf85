package dev.recsys.benchmarks;

import dev.recsys.models.bundle.Artifacts;
import dev.recsys.models.bundle.InvalidBundleException;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import java.io.IOException;
import java.nio.file.Path;
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
 * Building one published model version in memory ({@link ModelBundle#load}: what the server's loader
 * does after its hashed copy), once with the load-time tables the trainer published
 * ({@code tables=published}) and once with them left out of the manifest, so that the load rebuilds
 * them ({@code tables=rebuilt}: what every load cost before they were published, and what versions
 * published before 2026-12-01 still cost). Both from the same folder in the same run. {@code warm}
 * is the average over many loads in one JVM; {@code cold} is the first load of a fresh JVM (one shot
 * per fork), since a promotion's first load runs JIT-cold, which is when it hurts serving most.
 *
 * <pre>java -jar benchmarks/target/recsys-benchmarks.jar VersionLoadBenchmark -p version=bench-registry/movielens/1</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VersionLoadBenchmark {

  /** A version folder published by the current trainer (one that lists {@value Artifacts#PRECOMPUTED}). */
  @Param("bench-registry/movielens/1")
  String version;

  @Param({"published", "rebuilt"})
  String tables;

  Path dir;
  Manifest manifest;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Path.of(version);
    Manifest full = ManifestCodec.read(dir.resolve(Manifest.FILE_NAME));
    if (full.files().stream().noneMatch(f -> f.name().equals(Artifacts.PRECOMPUTED))) {
      throw new IllegalStateException(version + " lists no " + Artifacts.PRECOMPUTED + ": publish it with the current trainer");
    }
    // An unlisted file is never read: without its manifest entry the load rebuilds every table.
    manifest = tables.equals("published") ? full
        : new Manifest(full.formatVersion(), full.modelName(), full.version(), full.createdAt(), full.dataset(), full.lineage(),
            full.hyperParameters(), full.metrics(), full.serving(),
            full.files().stream().filter(f -> !f.name().equals(Artifacts.PRECOMPUTED)).toList());
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
  public ModelBundle warm() throws InvalidBundleException {
    return ModelBundle.load(dir, manifest, true);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(value = 10, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
  public ModelBundle cold() throws InvalidBundleException {
    return ModelBundle.load(dir, manifest, true);
  }
}
