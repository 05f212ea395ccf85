package dev.recsys.models.bundle;

/** File names and manifest roles of a model version's artifacts. */
public final class Artifacts {

  private Artifacts() {}

  public static final String CATALOG = "catalog.json";
  public static final String CATALOG_ROLE = "catalog";

  public static final String USERS = "users.safetensors";
  public static final String USERS_ROLE = "user_ratings";

  /** The rating factorisation as TorchScript: for PyTorch consumers, never read by the server. */
  public static final String RATING_MF = "rating_mf.pt";
  public static final String RATING_MF_ROLE = "rating_mf_torchscript";

  /** The rating factorisation's parameters as data: what the server reads ({@link EmbeddingArtifact}). */
  public static final String RATING_MF_TENSORS = "rating_mf.safetensors";
  public static final String RATING_MF_TENSORS_ROLE = "rating_mf_tensors";

  public static final String BASELINE = "baseline.safetensors";
  public static final String BASELINE_ROLE = "rating_baseline";

  public static final String NEIGHBORS = "neighbors.safetensors";
  public static final String NEIGHBORS_ROLE = "item_neighbors";

  /** The Random Forest as plain arrays ({@link dev.recsys.models.rating.TreeEnsemble}); before 2026-11-30, {@code forest.bin} (Java serialisation). */
  public static final String FOREST = dev.recsys.models.rating.ForestModel.FILE;
  public static final String FOREST_ROLE = dev.recsys.models.rating.ForestModel.ROLE;

  public static final String SEGMENTS = "segments.safetensors";
  public static final String SEGMENTS_ROLE = "segments_centroids";

  public static final String SEGMENT_PROFILES = "segments.json";
  public static final String SEGMENT_PROFILES_ROLE = "segments_profiles";

  public static final String DATA_REPORT = "data_report.json";
  public static final String DATA_REPORT_ROLE = "data_report";

  /** The top-N embedding model as TorchScript: for PyTorch consumers, never read by the server. */
  public static final String RANKING = "ranking.pt";
  public static final String RANKING_ROLE = "ranking_torchscript";

  /** The top-N embedding model's parameters as data: what the server reads ({@link EmbeddingArtifact}). */
  public static final String RANKING_TENSORS = "ranking.safetensors";
  public static final String RANKING_TENSORS_ROLE = "ranking_tensors";

  public static final String POPULARITY = "popularity.safetensors";
  public static final String POPULARITY_ROLE = "popularity";

  /**
   * Load-time tables the trainer derives once ({@link PrecomputedTables}): absent from versions
   * published before 2026-12-01, which then rebuild them at every load.
   */
  public static final String PRECOMPUTED = "precomputed.safetensors";
  public static final String PRECOMPUTED_ROLE = "precomputed_tables";

  /** Tensor-name prefix of the similar-movies table. */
  public static final String SIMILAR_PREFIX = "similar_";

  /**
   * Tensor-name prefix of the EASE top-N model's pruned item-item weights (signed; present when the
   * trainer fitted EASE).
   */
  public static final String EASE_PREFIX = "ease_";

  /** Tensor-name prefix of the neighbour table the kNN rating model uses. */
  public static final String KNN_PREFIX = "knn_";
}
