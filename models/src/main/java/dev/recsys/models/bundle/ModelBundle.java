package dev.recsys.models.bundle;

import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.demographics.DemographicPopularity;
import dev.recsys.models.catalog.CatalogFile;
import dev.recsys.models.catalog.TitleIndex;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.manifest.Json;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.neighbors.KnnBaseline;
import dev.recsys.models.profiles.Profiles;
import dev.recsys.models.profiles.UserRatings;
import dev.recsys.models.rating.BiasModel;
import dev.recsys.models.rating.FeatureSources;
import dev.recsys.models.rating.ForestModel;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.models.rating.RatingPredictor;
import dev.recsys.models.rating.RatingScale;
import dev.recsys.models.scoring.FoldIn;
import dev.recsys.models.scoring.RankingModel;
import dev.recsys.models.segments.Assignments;
import dev.recsys.models.segments.Segmentation;
import dev.recsys.models.tensors.TensorFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;

/**
 * Every artifact of one model version, read, cross-checked and ready to predict. Immutable and
 * thread-safe once loaded.
 *
 * <p>Checks on load: each file is listed in the manifest (so the registry verified its checksum),
 * shapes agree (the factorisation has one row per user and per movie of the catalogue, tables have
 * one entry per movie), values are finite, and the manifest's smoke tests reproduce. Load-time
 * tables published by the trainer are checked against what they derive from and rebuilt when they
 * fail ({@link PrecomputedTables}; {@link #rebuiltTables()} says which and why).
 */
public final class ModelBundle {

  /** Tolerance of smoke-test predictions (float arithmetic may differ in the last bits). */
  public static final float SMOKE_TOLERANCE = 1e-3f;

  private final Manifest manifest;
  private final ServingSpec spec;
  private final Catalog catalog;
  private final UserRatings users;
  private final Profiles profiles;
  private final BiasModel baseline;
  private final EmbeddingTables mf;
  private final ItemNeighbors knnNeighbors;
  private final KnnBaseline knn;
  private final ForestModel forest;
  private final Segmentation segmentation;
  private final Assignments assignments;
  private final RatingScale scale;
  private final RatingPredictor ratingModel;
  private final RankingModel ranking;
  private final ItemNeighbors similar;
  private final ItemNeighbors ease;
  private final int[] popularity;
  private final DemographicPopularity demographic;
  private final TitleIndex titles;
  private final FoldIn foldIn;
  private final long[] genreMasks;
  private final PrecomputedTables precomputed;
  private final List<String> rebuilt;

  private ModelBundle(Manifest manifest, ServingSpec spec, Catalog catalog, UserRatings users, BiasModel baseline,
      EmbeddingTables mf, ItemNeighbors knnNeighbors, Segmentation segmentation, ForestModel.Reader forestReader,
      EmbeddingTables ranking, ItemNeighbors similar, ItemNeighbors ease, int[] popularity, DemographicPopularity demographic,
      Path precomputedFile) throws IOException {
    this.demographic = demographic;
    this.manifest = manifest;
    this.spec = spec;
    this.catalog = catalog;
    this.users = users;
    this.baseline = baseline;
    this.mf = mf;
    this.knnNeighbors = knnNeighbors;
    this.segmentation = segmentation;
    this.profiles = Profiles.of(users, catalog);
    List<String> rebuiltTables = new ArrayList<>();
    this.precomputed = PrecomputedTables.resolve(precomputedFile, new PrecomputedTables.Sources(catalog, ranking, segmentation, mf, profiles),
        rebuiltTables);
    this.rebuilt = List.copyOf(rebuiltTables);
    this.knn = new KnnBaseline(baseline, users, knnNeighbors, spec.knnNeighbors());
    this.assignments = precomputed.assignments();
    this.forest =
        forestReader.read(
            new HybridFeatures(new FeatureSources(mf, baseline, knn, profiles, catalog, assignments.userSegments(), assignments.movieClusters(),
                segmentation.implicit())));
    this.scale = new RatingScale(spec.ratingScaleMin(), spec.ratingScaleMax());
    this.ratingModel = scale.clamped(predictor(spec.ratingModel()));
    // The row-major tables were needed for the checks above; from here the kernel's copy is the only one.
    this.ranking = RankingModel.of(ranking);
    this.similar = similar;
    this.ease = ease;
    this.popularity = popularity;
    this.titles = new TitleIndex(catalog, popularity, precomputed.titleKeys());
    ServingSpec.FoldInSpec f = spec.foldIn();
    this.foldIn = FoldIn.implicit(this.ranking.movies(), new FoldIn.Implicit(f.positiveTarget(), f.negativeTarget(), f.backgroundWeight(), f.l2()),
        precomputed.foldInGram());
    this.genreMasks = catalog.genreMasks();
  }

  /**
   * Loads the version in {@code dir}.
   *
   * @param requireListed whether every file read must be listed in the manifest (true for published
   *     versions; false for a staged version whose manifest is not written yet)
   */
  public static ModelBundle load(Path dir, Manifest manifest, boolean requireListed) throws InvalidBundleException {
    try {
      ServingSpec spec = Json.MAPPER.treeToValue(manifest.serving(), ServingSpec.class);
      if (spec == null || spec.ratingModel() == null || spec.rankingModel() == null || spec.foldIn() == null || spec.smokeTests() == null) {
        throw new InvalidBundleException("manifest has no serving section");
      }
      Files files = new Files(dir, manifest, requireListed);
      Catalog catalog = CatalogFile.read(files.path(Artifacts.CATALOG));
      UserRatings users = UserRatings.readFrom(TensorFile.read(files.path(Artifacts.USERS)), catalog.size());
      BiasModel baseline = BiasModel.read(files.path(Artifacts.BASELINE), users.users(), catalog.size());
      // Parameters only, from data files: TorchScript is code, and never executed here.
      EmbeddingTables mf = EmbeddingArtifact.read(files.data(Artifacts.RATING_MF_TENSORS));
      if (mf.globalBias() != spec.mfGlobalBias()) {
        throw new InvalidBundleException("rating factorisation's global bias " + mf.globalBias() + " differs from the manifest's "
            + spec.mfGlobalBias());
      }
      if (mf.users() != users.users() || mf.items() != catalog.size()) {
        throw new InvalidBundleException(
            "rating factorisation has " + mf.users() + " users x " + mf.items() + " movies, the version has "
                + users.users() + " users x " + catalog.size() + " movies");
      }
      TensorFile neighborFile = TensorFile.read(files.path(Artifacts.NEIGHBORS));
      ItemNeighbors knn = ItemNeighbors.readFrom(neighborFile, Artifacts.KNN_PREFIX, catalog.size());
      ItemNeighbors similar = ItemNeighbors.readFrom(neighborFile, Artifacts.SIMILAR_PREFIX, catalog.size());
      ItemNeighbors ease = neighborFile.find(Artifacts.EASE_PREFIX + "offsets").isPresent()
          ? ItemNeighbors.readFrom(neighborFile, Artifacts.EASE_PREFIX, catalog.size()) : null;
      if (ease == null && (spec.rankingModel().equals(ServingSpec.EASE) || spec.rankingModel().equals(ServingSpec.BLEND))) {
        throw new InvalidBundleException("the manifest selects the top-N model '" + spec.rankingModel() + "' but " + Artifacts.NEIGHBORS
            + " has no EASE weights");
      }
      if (!(spec.contentWeight() >= 0 && spec.contentWeight() <= 1000) || !(spec.contentYearShare() >= 0 && spec.contentYearShare() <= 100)) {
        throw new InvalidBundleException("content blend weights must be in [0, 1000] and [0, 100], the manifest has "
            + spec.contentWeight() + " and " + spec.contentYearShare());
      }
      if (spec.rankingModel().equals(ServingSpec.BLEND) && !(spec.blendWeight() >= 0 && spec.blendWeight() <= 1)) {
        throw new InvalidBundleException("blend weight must be in [0, 1], the manifest has " + spec.blendWeight());
      }
      EmbeddingTables ranking = EmbeddingArtifact.read(files.data(Artifacts.RANKING_TENSORS));
      if (ranking.users() != users.users() || ranking.items() != catalog.size()) {
        throw new InvalidBundleException(
            "ranking model has " + ranking.users() + " users x " + ranking.items() + " movies, the version has "
                + users.users() + " users x " + catalog.size() + " movies");
      }
      TensorFile popularityFile = TensorFile.read(files.path(Artifacts.POPULARITY));
      int[] popularity = popularityFile.get("movie_counts").requireShape(catalog.size()).ints();
      DemographicPopularity demographic = DemographicPopularity.readFrom(popularityFile, catalog.size()).orElse(null);
      Segmentation segmentation = Segmentation.read(files.path(Artifacts.SEGMENTS), files.path(Artifacts.SEGMENT_PROFILES));
      int userDim = switch (segmentation.representation()) {
        case Segmentation.EMBEDDING -> mf.dim();
        case Segmentation.IMPLICIT -> segmentation.implicit().dim();
        default -> catalog.genres().size();
      };
      if (segmentation.implicit() != null
          && (segmentation.implicit().items() != catalog.size() || segmentation.implicit().users() != users.users())) {
        throw new InvalidBundleException("implicit segment factors cover " + segmentation.implicit().items() + " movies and "
            + segmentation.implicit().users() + " users, the version has " + catalog.size() + " and " + users.users());
      }
      if (segmentation.users().dim() != userDim || segmentation.movies().dim() != mf.dim()) {
        throw new InvalidBundleException("segment centroids do not match the embedding dimensions");
      }
      Path forestFile = files.path(Artifacts.FOREST);
      var forest = ForestModel.readForest(forestFile);
      ModelBundle bundle = new ModelBundle(manifest, spec, catalog, users, baseline, mf, knn, segmentation, f -> new ForestModel(forest, f),
          ranking, similar, ease, popularity, demographic, files.optional(Artifacts.PRECOMPUTED));
      List<String> failures = bundle.smokeTestFailures();
      if (!failures.isEmpty()) {
        throw new InvalidBundleException("smoke tests failed: " + String.join("; ", failures));
      }
      return bundle;
    } catch (InvalidBundleException e) {
      throw e;
    } catch (IOException | JacksonException | IllegalArgumentException | IllegalStateException e) {
      throw new InvalidBundleException(dev.recsys.models.console.Messages.describe(e), e);
    } catch (RuntimeException e) {
      // A reader that a hostile or damaged file took past its checks (an index out of range, an
      // overflow): still a refusal of the version with a reason, never an exception that escapes
      // the loader. The kind is named because such messages alone ("Index -1 out of bounds") say little.
      throw new InvalidBundleException("an artifact could not be read (" + e.getClass().getSimpleName() + ": "
          + dev.recsys.models.console.Messages.describe(e) + ")", e);
    }
  }

  /** Resolves artifact files, refusing symbolic links and (when required) unlisted files. */
  private record Files(Path dir, Manifest manifest, boolean requireListed) {
    Path path(String name) throws InvalidBundleException {
      if (requireListed && manifest.files().stream().noneMatch(f -> f.name().equals(name))) {
        throw new InvalidBundleException("manifest does not list " + name);
      }
      Path p = dir.resolve(name);
      if (!java.nio.file.Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidBundleException("missing file " + name);
      }
      return p;
    }

    /**
     * An optional artifact: its path when the version has it, null when the file is absent (and,
     * for a published version, unlisted: a listed file that is missing is an error, and an unlisted
     * one is never read, since no checksum covers it).
     */
    Path optional(String name) throws InvalidBundleException {
      boolean listed = manifest.files().stream().anyMatch(f -> f.name().equals(name));
      if (!listed && (requireListed || !java.nio.file.Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS))) {
        return null;
      }
      return path(name);
    }

    /** As {@link #path}, for the data-only embedding files that versions before 2026-11-30 lack. */
    Path data(String name) throws InvalidBundleException {
      if (!java.nio.file.Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)
          && manifest.files().stream().noneMatch(f -> f.name().equals(name))) {
        throw new InvalidBundleException("version has no " + name + ": versions published before 2026-11-30 carry embeddings only as "
            + "TorchScript, which is code and which the server does not execute; publish it again with the current trainer");
      }
      return path(name);
    }
  }

  private RatingPredictor predictor(String name) throws InvalidBundleException {
    return switch (name) {
      case "forest" -> forest;
      case "mf" -> mf::score;
      case "knn" -> knn;
      case "baseline" -> baseline;
      default -> throw new InvalidBundleException("unknown rating model '" + name + "' in the manifest");
    };
  }

  /** Smoke tests that do not reproduce, described; empty when all pass. */
  public List<String> smokeTestFailures() {
    List<String> failures = new ArrayList<>();
    for (ServingSpec.SmokeTest t : spec.smokeTests()) {
      int u = users.indexOf(t.userId());
      if (u < 0) {
        failures.add("user " + t.userId() + " is unknown");
        continue;
      }
      for (int i = 0; i < t.movieIds().size(); i++) {
        int m = catalog.indexOf(t.movieIds().get(i));
        if (m < 0) {
          failures.add("movie " + t.movieIds().get(i) + " is unknown");
          continue;
        }
        float got = ratingModel.predict(u, m);
        float expected = t.ratings().get(i);
        if (!(Math.abs(got - expected) <= SMOKE_TOLERANCE)) {
          failures.add(String.format(Locale.ROOT, "user %d movie %d: predicted %.4f, manifest expects %.4f", t.userId(), t.movieIds().get(i), got, expected));
        }
        float score = ranking.score(u, m);
        float expectedScore = t.rankingScores().get(i);
        if (!(Math.abs(score - expectedScore) <= SMOKE_TOLERANCE * Math.max(1, Math.abs(expectedScore)))) {
          failures.add(String.format(Locale.ROOT, "user %d movie %d: ranking score %.4f, manifest expects %.4f", t.userId(), t.movieIds().get(i), score, expectedScore));
        }
      }
    }
    return failures;
  }

  public Manifest manifest() {
    return manifest;
  }

  public ServingSpec spec() {
    return spec;
  }

  public Catalog catalog() {
    return catalog;
  }

  public UserRatings users() {
    return users;
  }

  public Profiles profiles() {
    return profiles;
  }

  public BiasModel baseline() {
    return baseline;
  }

  public EmbeddingTables mf() {
    return mf;
  }

  public KnnBaseline knn() {
    return knn;
  }

  public ForestModel forest() {
    return forest;
  }

  public Segmentation segmentation() {
    return segmentation;
  }

  public Assignments assignments() {
    return assignments;
  }

  public RatingScale scale() {
    return scale;
  }

  /**
   * The embedding top-N model (BPR or implicit ALS), cold movies filled from genre profiles; its
   * movie side is held once, as the scoring kernel reads it.
   */
  public RankingModel ranking() {
    return ranking;
  }

  /** The similar-movies table. */
  public ItemNeighbors similar() {
    return similar;
  }

  /** The EASE top-N model's pruned, signed item-item weights, or null when the version has none. */
  public ItemNeighbors ease() {
    return ease;
  }

  /** Ratings per movie in the training data. */
  public int[] popularity() {
    return popularity;
  }

  /**
   * Popularity within demographic groups, for new users who state their age or gender; null when
   * the version has none (its data had no demographics, or they did not beat popularity on
   * validation users).
   */
  public DemographicPopularity demographic() {
    return demographic;
  }

  public TitleIndex titles() {
    return titles;
  }

  /**
   * The load-time tables this bundle uses (published with the version or rebuilt at load), for the
   * trainer to publish.
   */
  public PrecomputedTables precomputed() {
    return precomputed;
  }

  /**
   * One line per load-time table that was rebuilt instead of taken from the version, saying why;
   * empty when every table was published and passed its checks.
   */
  public List<String> rebuiltTables() {
    return rebuilt;
  }

  /** The implicit segment space's {@code α₀ HᵀH} (for projecting new users), or null when it has none. */
  public double[] implicitGram() {
    return precomputed.implicitGram();
  }

  /** Fold-in of new users into the ranking model. */
  public FoldIn foldIn() {
    return foldIn;
  }

  /** Genre mask of every movie (for filters and diversity). */
  public long[] genreMasks() {
    return genreMasks;
  }

  /** The selected rating model, clamped to the rating scale. */
  public RatingPredictor ratingModel() {
    return ratingModel;
  }
}
