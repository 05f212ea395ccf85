package dev.recsys.trainer.testing;

import dev.recsys.models.torchscript.NativeSettings;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.mf.MfConfig;
import dev.recsys.trainer.rating.ForestFitter;
import dev.recsys.trainer.rating.RatingPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;

/** Shared, loaded-once data and small-but-real model settings that keep the suite fast. */
public final class Fixtures {

  private static final ConcurrentHashMap<String, MovieLensData> DATA = new ConcurrentHashMap<>();

  static {
    NativeSettings.apply();
  }

  private Fixtures() {}

  /** A real MovieLens data set, loaded once per test JVM. */
  public static MovieLensData data(String name) {
    return DATA.computeIfAbsent(name, n -> {
      try {
        return MovieLensLoader.quiet().load(TestData.archive(n));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Real models with fewer epochs and trees than the defaults. */
  public static RatingPipeline.Config quickRating(long seed) {
    MfConfig d = MfConfig.defaults(seed);
    ForestFitter.Config f = ForestFitter.Config.defaults(seed);
    return RatingPipeline.Config.defaults(seed)
        .withMf(new MfConfig(32, d.learningRate(), d.l2(), d.biasL2(), d.batchSize(), 6, 3, d.initStd(), seed))
        .withForest(f.withTrees(20));
  }
}
