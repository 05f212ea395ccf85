package dev.recsys.trainer.cli;

import dev.recsys.models.console.Durations;
import dev.recsys.models.console.Progress;
import dev.recsys.trainer.data.DataQuality;
import dev.recsys.trainer.data.DatasetLocator;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.data.SyntheticMovieLens;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys-trainer data ...}: fetch, inspect and generate data sets. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Fetch, inspect and generate MovieLens data sets.",
    subcommands = {DataCommand.Info.class, DataCommand.Download.class, DataCommand.Synth.class, DataCommand.SynthVersion.class,
        DataCommand.ScaleReportCommand.class})
public final class DataCommand {

  /** {@code data info}: load a set and report its size, cleaning, time and memory. */
  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Load a data set and report counts, the data-quality table, load time and heap used.")
  static final class Info implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Data set name (ml-latest-small, ml-100k, ...) or a folder/zip.")
    String data;

    @Override
    public Integer call() throws IOException {
      Path path = DatasetLocator.fromEnvironment().locate(data);
      long start = System.nanoTime();
      MovieLensData d = MovieLensLoader.withConsoleProgress().load(path);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      long heapAfter = usedHeap();
      System.out.printf(Locale.ROOT, "data set     %s (%s)%n", d.name(), path);
      System.out.printf(Locale.ROOT, "sha256       %s%n", d.sha256());
      System.out.printf(Locale.ROOT, "layout       %s%n", d.layout());
      System.out.printf(Locale.ROOT, "ratings      %,d%n", d.ratings().size());
      System.out.printf(Locale.ROOT, "users        %,d%n", d.userIds().length);
      System.out.printf(Locale.ROOT, "movies       %,d (%d genres)%n", d.catalog().size(), d.catalog().genres().size());
      System.out.printf(Locale.ROOT, "mean rating  %.3f%n", d.ratings().meanRating());
      System.out.printf(Locale.ROOT, "load time    %s%n", Durations.format(seconds));
      System.out.printf(Locale.ROOT, "heap in use  %s after GC, data held (rating arrays %s; max heap %s)%n",
          Durations.bytes(heapAfter), Durations.bytes(d.ratings().bytes()),
          Durations.bytes(Runtime.getRuntime().maxMemory()));
      System.out.println();
      System.out.print(d.quality().table());
      return 0;
    }
  }

  /** {@code data scale-report}: the training scale benchmark's table and plot (bench/train-scale.sh). */
  @Command(name = "scale-report", mixinStandardHelpOptions = true,
      description = "Summarise training runs at several data sizes (folders with train --timings JSON and GNU time -v output) as a table and a plot.")
  static final class ScaleReportCommand implements Callable<Integer> {
    @Option(names = "--runs", required = true, description = "Folder with one sub-folder per run (timings.json, time.txt).")
    Path runs;

    @Option(names = "--out", required = true, description = "Folder for scale.md, scale.json and scale-stages.png.")
    Path out;

    @Option(names = "--machine", defaultValue = "unknown", description = "The machine the runs were made on, for the report.")
    String machine;

    @Override
    public Integer call() throws IOException {
      var list = dev.recsys.trainer.report.ScaleReport.read(runs);
      dev.recsys.trainer.report.ScaleReport.write(list, out, machine);
      System.out.print(java.nio.file.Files.readString(out.resolve("scale.md")));
      return 0;
    }
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** {@code data download}: make sure a named set is available locally. */
  @Command(name = "download", mixinStandardHelpOptions = true,
      description = "Download a named data set into the cache (checksum-verified) unless it is already available.")
  static final class Download implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Data set name, e.g. ml-25m.")
    String data;

    @Override
    public Integer call() throws IOException {
      System.out.println(DatasetLocator.fromEnvironment().locate(data));
      return 0;
    }
  }

  /** {@code data synth}: write a synthetic set with planted segments in the ml-25m layout. */
  @Command(name = "synth", mixinStandardHelpOptions = true,
      description = {"Write a synthetic data set in the ml-25m layout (ratings.csv, movies.csv) with planted structure, "
          + "for load benchmarks, scale runs and quality tests: users in taste segments, movies with latent vectors "
          + "and genres tied to them, picks and ratings driven by taste.",
          "Also writes planted.csv (userId,segment: each user's true segment) and planted.json (settings, "
          + "the rating noise floor and measured figures)."})
  static final class Synth implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder to write ratings.csv, movies.csv, planted.csv and planted.json into.")
    Path out;

    @Option(names = "--ratings", defaultValue = "25000000", description = "Rating lines (default: ${DEFAULT-VALUE}).")
    long ratings;

    @Option(names = "--users", defaultValue = "162541", description = "Users (default: ${DEFAULT-VALUE}, as ml-25m).")
    int users;

    @Option(names = "--movies", defaultValue = "62423", description = "Movies (default: ${DEFAULT-VALUE}, as ml-25m).")
    int movies;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--segments", defaultValue = "7", description = "Planted user segments, 1-256 (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--latent-dim", defaultValue = "16", description = "Dimension of the taste space, 1-1024 (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(names = "--noise", defaultValue = "0.8", description = "Std of the rating noise in stars, 0-5: the RMSE floor of a perfect model before rounding (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--taste-share", defaultValue = "0.8", description = "Share of each user's picks chosen by their segment's taste rather than by popularity, 0-1 (default: ${DEFAULT-VALUE}).")
    double tasteShare;

    @Override
    public Integer call() throws IOException {
      if (ratings < 1 || users < 1 || movies < 1) {
        throw new IllegalArgumentException("--ratings, --users and --movies must be >= 1, got "
            + ratings + ", " + users + " and " + movies);
      }
      // The generator's settings are checked once, by its Config, before anything is written.
      SyntheticMovieLens.Config config = new SyntheticMovieLens.Config(segments, latentDim, noise, tasteShare);
      try (Progress p = Progress.start("write " + out.resolve("ratings.csv"), ratings, Progress.Unit.ITEMS)) {
        SyntheticMovieLens.write(out, ratings, users, movies, seed, config, p);
      }
      return 0;
    }
  }

  /** {@code data synth-version}: publish a servable version of any size without training. */
  @Command(name = "synth-version", mixinStandardHelpOptions = true,
      description = "Publish a synthetic, untrained but servable version (random embeddings) for scale benchmarks.")
  static final class SynthVersion implements Callable<Integer> {
    @picocli.CommandLine.Mixin RegistryOptions registry;

    @picocli.CommandLine.Mixin SigningOptions signing;

    @picocli.CommandLine.Mixin IndexOptions index;

    @Option(names = "--movies", defaultValue = "100000", description = "Catalogue size (default: ${DEFAULT-VALUE}).")
    int movies;

    @Option(names = "--users", defaultValue = "10000", description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--ratings-per-user", defaultValue = "20", description = "Ratings of each user (default: ${DEFAULT-VALUE}).")
    int ratingsPerUser;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--neighbors", defaultValue = "20", description = "Neighbours per movie (default: ${DEFAULT-VALUE}).")
    int neighbors;

    @Option(names = "--promote", description = "Alias to point at the new version.")
    String promote;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
    long seed;

    @Override
    public Integer call() throws IOException {
      long start = System.nanoTime();
      // Checked before the build, which takes minutes at millions of movies.
      PublicationChecks publication = PublicationChecks.before(signing, index, registry.name, promote);
      var trained = dev.recsys.trainer.publish.SyntheticVersion.build(
          new dev.recsys.trainer.publish.SyntheticVersion.Spec(movies, users, ratingsPerUser, dim, neighbors, seed));
      var outcome = dev.recsys.trainer.publish.VersionPublisher.publish(registry.open(), registry.name, trained,
          java.util.Optional.ofNullable(promote), RegistryOptions.actor(), publication.signer(),
          publication.annMinMovies());
      System.out.printf(Locale.ROOT, "published synthetic %s version %d (%,d movies, %,d users, dim %d) in %s%n", registry.name,
          outcome.manifest().version(), movies, users, dim, Durations.format((System.nanoTime() - start) / 1e9));
      return 0;
    }
  }
}
