package dev.recsys.server.serving;

import ai.djl.Device;
import dev.recsys.models.ann.MovieIndex;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.console.Messages;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.scoring.CandidateFilter;
import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;
import dev.recsys.models.signing.TrustedKeys;
import dev.recsys.server.engine.ModelEngine;
import dev.recsys.server.engine.VectorCache;
import dev.recsys.server.scoring.BatchedScoring;
import dev.recsys.server.scoring.CpuBatchedScoring;
import dev.recsys.server.scoring.CpuScoring;
import dev.recsys.server.scoring.EmbeddingScoring;
import dev.recsys.server.scoring.ThreadStarter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Loads one registry version into a servable {@link LoadedModel}: checksums verified, artifacts read
 * and cross-checked with the manifest's smoke tests ({@link ModelBundle}), the scorer built for the
 * configured device and checked against the CPU kernel. Any failure is a {@link LoadException} with
 * the reason; nothing half-loaded is returned.
 */
public final class ModelLoader implements VersionLoader {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelLoader.class);

  /** A version that cannot be served, and why. */
  public static final class LoadException extends Exception {
    public LoadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param gpu load the ranking model onto the GPU and batch requests
   * @param batching batch requests on the CPU too (the Java kernel, one pass over the movies per batch)
   * @param graphIndex search a version's graph index (big catalogues) when it has one; false: always
   *     score exactly
   * @param warmUp longest a loaded version is called ({@link WarmUp}) before it may serve; zero: not at all
   */
  public record Scoring(boolean gpu, boolean batching, int batchSize, Duration maxBatchDelay, int queueCapacity, boolean graphIndex,
      Duration warmUp) {
    public static Scoring cpu() {
      return new Scoring(false, false, 1, Duration.ZERO, 1, true, Duration.ZERO);
    }
  }

  /** Most warm-up calls per version: past a few thousand the JIT has compiled what it will. */
  static final int WARM_UP_CALLS = 4_000;

  /**
   * A loaded bundle and its graph index (null when the version has none or it is switched off). The
   * CPU kernel over its ranking model, the index's exact referee and every call's scorer or
   * fallback, is the bundle's own ({@code bundle.ranking().movies()}).
   */
  private record Opened(ModelBundle bundle, MovieIndex index) {}

  private final ModelRegistry registry;
  private final String model;
  private final Scoring scoring;
  private final LongFunction<VectorCache> caches;
  private final Clock clock;
  private final TrustedKeys trusted;
  /** Made with the loader, on the server's thread: versions' batchers serve at its priority, not their loader's. */
  private final ThreadStarter threads = new NormalPriorityThreads();

  /**
   * @param caches the fold-in vector cache view of a version
   */
  public ModelLoader(ModelRegistry registry, String model, Scoring scoring, LongFunction<VectorCache> caches, Clock clock) {
    this(registry, model, scoring, caches, clock, null);
  }

  /**
   * Builds the loader on the calling thread, whose priority the versions' serving threads get.
   *
   * @param trusted keys a version must be signed with, or null to load unsigned versions
   */
  public ModelLoader(ModelRegistry registry, String model, Scoring scoring, LongFunction<VectorCache> caches, Clock clock,
      TrustedKeys trusted) {
    this.trusted = trusted;
    this.registry = registry;
    this.model = model;
    this.scoring = scoring;
    this.caches = caches;
    this.clock = clock;
  }

  @Override
  public LoadedModel load(long version, Runnable onClose) throws LoadException {
    long start = System.nanoTime();
    // Loaded from a private copy whose every byte was hashed on the way in: what is verified is
    // what is loaded, whatever a writer of the registry does meanwhile. Every reader reads its file
    // whole, so the copy is deleted as soon as the bundle is built; the graph index's files, opened
    // (memory-mapped) before that, stay readable and hold their disk space until the version is
    // closed (POSIX unlink semantics; the server runs on Linux).
    Opened opened;
    try {
      opened = registry.withVerifiedCopy(model, version, trusted, check -> {
        if (!check.valid()) {
          throw new LoadException("version " + version + " refused: " + check.problem(), null);
        }
        try {
          ModelBundle loaded = ModelBundle.load(check.dir(), check.manifest(), true);
          // Opened before the copy is deleted: the index stays memory-mapped, not read whole.
          MovieIndex index = scoring.graphIndex() && loaded.spec().ann() != null
              ? MovieIndex.open(check.dir(), check.manifest().files().stream().map(f -> f.name()).toList(), loaded.ranking(),
                  loaded.spec().ann())
              : null;
          return new Opened(loaded, index);
        } catch (IOException e) {
          throw new LoadException("version " + version + " refused: " + Messages.describe(e), e);
        }
      });
    } catch (IOException e) {
      throw new LoadException("version " + version + " not loaded: no private folder to copy it into: " + Messages.describe(e), e);
    }
    ModelBundle bundle = opened.bundle();
    for (String rebuilt : bundle.rebuiltTables()) {
      LOG.warn("version {}: {}", version, rebuilt);
    }
    EmbeddingScoring scorer;
    try {
      scorer = scorer(version, bundle);
    } catch (LoadException | RuntimeException e) {
      // A refusal, or a batcher whose thread could not start: the index's memory maps go back either way.
      closeQuietly(opened.index());
      throw e;
    }
    ModelEngine engine;
    try {
      engine = new ModelEngine(version, bundle, scorer, opened.index(), caches.apply(version));
    } catch (RuntimeException | Error e) {
      // The scorer may hold a batcher thread and device memory, the index its memory maps; a refused
      // version is tried again at later polls, so each refusal must give them back.
      scorer.close();
      closeQuietly(opened.index());
      if (e instanceof RuntimeException r) {
        throw new LoadException("version " + version + " refused: " + Messages.describe(r), r);
      }
      throw e;
    }
    if (!scoring.warmUp().isZero()) {
      try {
        WarmUp.Result warm = WarmUp.run(engine, scoring.warmUp(), WARM_UP_CALLS);
        LOG.info("version {} warmed up: {} calls in {} s", version, warm.calls(), String.format(Locale.ROOT, "%.2f", warm.seconds()));
      } catch (RuntimeException e) {
        engine.close();
        throw new LoadException("version " + version + " refused: " + Messages.describe(e), e);
      } catch (Error e) {
        engine.close();
        throw e;
      } catch (InterruptedException e) {
        engine.close();
        Thread.currentThread().interrupt();
        throw new LoadException("version " + version + " not loaded: interrupted while warming up", e);
      }
    }
    return new LoadedModel(engine, clock.instant(), (System.nanoTime() - start) / 1e9, onClose);
  }

  private static void closeQuietly(MovieIndex index) {
    if (index != null) {
      try {
        index.close();
      } catch (IOException e) {
        // Refusing the version already; the mapping is released either way.
      }
    }
  }

  private EmbeddingScoring scorer(long version, ModelBundle bundle) throws LoadException {
    DotScorer exact = bundle.ranking().movies();
    CpuScoring cpu = new CpuScoring(exact);
    if (!scoring.gpu()) {
      // On the CPU, batches go through the Java kernel (one pass over the movies per batch): DJL on
      // the CPU measured 0.4-0.7x the Java kernel at 1M movies (docs/benchmarks.md).
      return scoring.batching() ? new CpuBatchedScoring(exact, scoring.batchSize(), scoring.maxBatchDelay(), scoring.queueCapacity(), threads) : cpu;
    }
    return checkedDeviceScoring(version, bundle, cpu, Device.gpu(), scoring, threads);
  }

  /**
   * The version's ranking model on {@code device} in batches, checked against the CPU kernel before
   * it serves anyone (whole rows and a filtered top-10 of three users); refused if they differ.
   * Package-private so that tests run the check on DJL's CPU engine.
   */
  static BatchedScoring checkedDeviceScoring(long version, ModelBundle bundle, CpuScoring cpu, Device device, Scoring scoring,
      ThreadStarter threads) throws LoadException {
    BatchedScoring batched;
    try {
      batched = BatchedScoring.of(bundle.ranking().movies(), bundle.genreMasks(), device, scoring.batchSize(), scoring.maxBatchDelay(), scoring.queueCapacity(), cpu,
          threads);
    } catch (RuntimeException e) {
      throw new LoadException("version " + version + " refused: cannot load the ranking model on " + device + ": " + Messages.describe(e), e);
    }
    // The device path must score like the CPU kernel before it serves anyone.
    try {
      int users = Math.min(3, bundle.ranking().users());
      UserRatings rated = bundle.users();
      long genre = Long.lowestOneBit(bundle.genreMasks().length == 0 ? 0 : bundle.genreMasks()[0]);
      CandidateFilter filters = new CandidateFilter(bundle.genreMasks());
      float[] expected = new float[cpu.items()];
      float[] got = new float[cpu.items()];
      for (int u = 0; u < users; u++) {
        float[] vector = bundle.ranking().userVector(u);
        cpu.score(vector, expected, Long.MAX_VALUE);
        batched.score(vector, got, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        for (int i = 0; i < expected.length; i++) {
          if (Math.abs(expected[i] - got[i]) > 1e-3f * Math.max(1, Math.abs(expected[i]))) {
            throw new LoadException(String.format(Locale.ROOT,
                "version %d refused: %s scoring differs from the CPU kernel (user %d movie %d: %.5f vs %.5f)",
                version, batched.device(), u, i, got[i], expected[i]), null);
          }
        }
        // The filter mask on the device too: the user's rated movies out, and a genre asked for.
        TopK.Filter filter = filters.allowing(genre, rated.movies(), rated.start(u), rated.end(u), new int[0]);
        TopK.Result want = cpu.top(vector, 10, filter, () -> expected, Long.MAX_VALUE);
        TopK.Result have = batched.top(vector, 10, filter, () -> got, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        // Compared by score, not by movie: near-ties may order differently on the device.
        boolean same = have.size() == want.size();
        for (int i = 0; same && i < have.size(); i++) {
          same = filter.accept(have.indexes()[i])
              && Math.abs(have.scores()[i] - want.scores()[i]) <= 1e-3f * Math.max(1, Math.abs(want.scores()[i]));
        }
        if (!same) {
          throw new LoadException(String.format(Locale.ROOT, "version %d refused: %s filtered top-10 differs from the CPU kernel's (user %d: %s vs %s)",
              version, batched.device(), u, Arrays.toString(have.indexes()), Arrays.toString(want.indexes())), null);
        }
      }
    } catch (LoadException e) {
      batched.close();
      throw e;
    } catch (Exception e) {
      batched.close();
      throw new LoadException("version " + version + " refused: device scoring check failed: " + Messages.describe(e), e);
    }
    return batched;
  }
}
