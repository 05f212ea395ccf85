package dev.recsys.server.serving;

import dev.recsys.models.console.Messages;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry's {@code production} and {@code canary} aliases. It re-reads them on a fixed
 * interval (network filesystems do not deliver file events reliably) and also as soon as a file
 * event arrives, loads newly named versions on its own thread (never on the request path), and
 * publishes a new snapshot when they are ready. A version that fails to load is reported and not
 * retried until its manifest changes or {@code retryAfter} passes; the version serving before keeps
 * serving.
 */
public final class RegistryWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

  /** Told about every load attempt (metrics). */
  public interface LoadListener {
    void loaded(long version, double seconds);

    void failed(long version, String reason, double seconds);

    void closed(long version);

    /** Ignores every event (tests, tools). */
    LoadListener NONE = new LoadListener() {
      @Override
      public void loaded(long version, double seconds) {}

      @Override
      public void failed(long version, String reason, double seconds) {}

      @Override
      public void closed(long version) {}
    };
  }

  private record Failure(Instant at, long manifestStamp) {}

  /** Default {@link #loadTimeout}. */
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Most loads that may still run at once (abandoned ones count until their thread returns): a
   * registry full of versions that hang cannot take every thread of the process.
   */
  static final int MAX_RUNNING_LOADS = 4;

  private final ModelRegistry registry;
  private final String model;
  private final VersionLoader loader;
  private final ModelManager manager;
  private final Duration pollInterval;
  private final Duration retryAfter;
  private final Clock clock;
  private final LoadListener listener;
  private final ScheduledExecutorService executor;
  private final Duration loadTimeout;
  /** Runs the loads, so that one that hangs holds its own thread and not the poll's. */
  private final java.util.concurrent.ExecutorService loaders;
  /** Loads started and not yet finished, abandoned ones included: their threads are still busy. */
  private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<Long, Failure> failed = new HashMap<>();
  private Thread watchThread;
  private WatchService watchService;

  public RegistryWatcher(ModelRegistry registry, String model, VersionLoader loader, ModelManager manager, Duration pollInterval,
      Duration retryAfter, Clock clock, LoadListener listener) {
    this(registry, model, loader, manager, pollInterval, retryAfter, clock, listener, DEFAULT_LOAD_TIMEOUT, 0);
  }

  /**
   * @param loadTimeout longest one version's load is waited for; a slower one is reported as
   *     failed and abandoned (closed if it ever finishes), and the poll goes on
   * @param loadNice the loading threads' Linux nice value ({@link LoaderThreads}); 0: normal priority
   */
  public RegistryWatcher(ModelRegistry registry, String model, VersionLoader loader, ModelManager manager, Duration pollInterval,
      Duration retryAfter, Clock clock, LoadListener listener, Duration loadTimeout, int loadNice) {
    this.loadTimeout = loadTimeout;
    this.loaders = Executors.newCachedThreadPool(new LoaderThreads(loadNice));
    this.registry = registry;
    this.model = model;
    this.loader = loader;
    this.manager = manager;
    this.pollInterval = pollInterval;
    this.retryAfter = retryAfter;
    this.clock = clock;
    this.listener = listener;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("registry-watcher").daemon().unstarted(r));
  }

  /** Starts polling (the first check runs at once) and file watching. */
  public void start() {
    executor.scheduleWithFixedDelay(this::reconcileSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    startFileWatch();
  }

  /**
   * Asks for a reconciliation on the watcher thread and returns at once: what admin calls use, so
   * no request thread waits for a load (it can take minutes); load progress shows in the serving
   * status.
   */
  public void checkSoon() {
    try {
      executor.execute(this::reconcileSafely);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("registry check not scheduled: the watcher is shutting down");
    }
  }

  /** Runs one reconciliation now on the watcher thread and waits for it (tests). */
  public void checkNow() {
    try {
      executor.submit(this::reconcileSafely).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (IOException | RuntimeException e) {
      LOG.warn("reading the registry failed (the current version keeps serving): {}", Messages.describe(e));
    } catch (Throwable t) {
      // Anything escaping a scheduled task cancels all its later runs: log it, keep polling.
      LOG.error("registry check failed (the current version keeps serving; polling goes on)", t);
    }
  }

  /** Loads what the aliases name and publishes it; called on the watcher thread only. */
  void reconcile() throws IOException {
    Optional<Alias> production = registry.alias(model, Alias.PRODUCTION);
    Optional<Alias> canary = registry.alias(model, Alias.CANARY);
    Snapshot now = manager.snapshot();
    if (production.isEmpty()) {
      if (!now.serving()) {
        LOG.debug("model {} has no production alias yet", model);
      }
      return;
    }
    long wantProduction = production.get().version();
    long wantCanary = canary.map(Alias::version).filter(v -> v != wantProduction).orElse(0L);
    Map<Long, LoadedModel> loaded = new HashMap<>();
    long production1 = ensure(wantProduction, now, loaded) ? wantProduction : now.production();
    if (production1 == 0) {
      // Nothing serves and production cannot load: a canary is a share of production's traffic, so
      // it is not loaded alone (it would be loaded, dropped and loaded again at every poll).
      return;
    }
    long canary1;
    double weight1;
    if (wantCanary != 0 && ensure(wantCanary, now, loaded)) {
      canary1 = wantCanary;
      weight1 = canary.get().weight();
    } else if (wantCanary != 0 && now.canary() != 0 && now.canary() != production1) {
      // The new canary did not load: the one serving keeps its version and the share it was given.
      canary1 = now.canary();
      weight1 = now.canaryWeight();
    } else {
      canary1 = 0;
      weight1 = 0;
    }
    if (production1 != now.production() || canary1 != now.canary() || weight1 != now.canaryWeight() || !loaded.isEmpty()) {
      manager.publish(loaded, production1, canary1, weight1);
      LOG.info("serving {} version {} in production{}", model, production1,
          canary1 == 0 ? "" : String.format(java.util.Locale.ROOT, ", version %d as canary for %.0f%% of users", canary1, 100 * weight1));
    }
  }

  /** True when {@code version} is loaded (before or now); a failure is recorded otherwise. */
  private boolean ensure(long version, Snapshot now, Map<Long, LoadedModel> loaded) {
    if (now.models().containsKey(version) || loaded.containsKey(version)) {
      return true;
    }
    long stamp = manifestStamp(version);
    Failure f = failed.get(version);
    if (f != null && f.manifestStamp() == stamp && f.at().plus(retryAfter).isAfter(clock.instant())) {
      return false;
    }
    long start = System.nanoTime();
    try {
      LOG.info("loading {} version {}", model, version);
      LoadedModel m = loadWithin(version);
      loaded.put(version, m);
      failed.remove(version);
      listener.loaded(version, m.loadSeconds());
      LOG.info("loaded {} version {} in {} s", model, version, String.format(java.util.Locale.ROOT, "%.2f", m.loadSeconds()));
      return true;
    } catch (ModelLoader.LoadException | java.util.concurrent.TimeoutException | RuntimeException | Error e) {
      // An Error while loading one version (a stack overflow in a hostile file, a native library
      // that fails to link) refuses that version; the others, and the poll, go on.
      double seconds = (System.nanoTime() - start) / 1e9;
      String reason = Messages.describe(e);
      failed.put(version, new Failure(clock.instant(), stamp));
      manager.recordFailure(new ModelManager.FailedLoad(version, clock.instant(), reason));
      listener.failed(version, reason, seconds);
      LOG.error("{} version {} was not loaded: {}", model, version, reason);
      return false;
    }
  }

  /**
   * Loads {@code version} on a loader thread and waits at most {@link #loadTimeout}. A load still
   * running then is abandoned: the poll goes on, and if the load ever finishes its model is closed
   * at once. Failures of the load itself are rethrown as they were.
   */
  private LoadedModel loadWithin(long version) throws ModelLoader.LoadException, java.util.concurrent.TimeoutException {
    if (running.get() >= MAX_RUNNING_LOADS) {
      throw new ModelLoader.LoadException("version " + version + " not loaded: " + running.get()
          + " earlier loads are still running (abandoned after " + loadTimeout.toSeconds() + " s each); restart the server to free them", null);
    }
    // RUNNING -> DONE when the load returns in time, RUNNING -> ABANDONED when the wait gives up;
    // whichever comes second sees the other and closes the model.
    java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(RUNNING);
    running.incrementAndGet();
    java.util.concurrent.Future<LoadedModel> task = loaders.submit(() -> {
      try {
        LoadedModel m = loader.load(version, () -> listener.closed(version));
        if (!state.compareAndSet(RUNNING, DONE)) {
          LOG.info("{} version {} finished loading after it was abandoned; discarded", model, version);
          m.release();
        }
        return m;
      } finally {
        running.decrementAndGet();
      }
    });
    try {
      try {
        return task.get(loadTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        if (state.compareAndSet(RUNNING, ABANDONED)) {
          task.cancel(true);
          throw new java.util.concurrent.TimeoutException("version " + version + " did not finish loading within "
              + loadTimeout.toMillis() / 1000.0 + " s (--load-timeout-seconds); abandoned, the serving versions are unaffected");
        }
        // The load returned just as the wait gave up (it is completing the task now): use it.
        return task.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ModelLoader.LoadException le) {
        throw le;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new ModelLoader.LoadException("version " + version + " refused: " + Messages.describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state.compareAndSet(RUNNING, ABANDONED);
      task.cancel(true);
      throw new ModelLoader.LoadException("version " + version + " not loaded: the server is shutting down", e);
    }
  }

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int ABANDONED = 2;

  /** Changes when the version's manifest changes (a repaired version is retried at once). */
  private long manifestStamp(long version) {
    try {
      Path m = registry.versionDir(model, version).resolve("manifest.json");
      return Files.getLastModifiedTime(m).toMillis() * 31 + Files.size(m);
    } catch (IOException e) {
      return -1;
    }
  }

  private void startFileWatch() {
    Path aliases = registry.modelDir(model).resolve("aliases");
    try {
      Files.createDirectories(aliases);
      watchService = FileSystems.getDefault().newWatchService();
      aliases.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info("file events unavailable for {} ({}); polling every {}", aliases, e.getMessage(), pollInterval);
      return;
    }
    watchThread = Thread.ofPlatform().name("registry-file-events").daemon().start(() -> {
      try {
        while (true) {
          var key = watchService.take();
          key.pollEvents();
          key.reset();
          checkSoon();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // shutting down
      }
    });
  }

  @Override
  public void close() {
    executor.shutdownNow();
    loaders.shutdownNow();
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        LOG.debug("closing the watch service: {}", e.toString());
      }
    }
    if (watchThread != null) {
      watchThread.interrupt();
    }
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
