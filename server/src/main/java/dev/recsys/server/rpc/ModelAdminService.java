package dev.recsys.server.rpc;

import dev.recsys.models.manifest.Json;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.MetricPaths;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.AliasEvent;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.proto.v1.AliasInfo;
import dev.recsys.proto.v1.AuditStamp;
import dev.recsys.proto.v1.FailedLoad;
import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.ListModelsRequest;
import dev.recsys.proto.v1.ListModelsResponse;
import dev.recsys.proto.v1.LoadedVersion;
import dev.recsys.proto.v1.ModelAdminGrpc;
import dev.recsys.proto.v1.ModelInfo;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.PromoteResponse;
import dev.recsys.proto.v1.RemoveAliasRequest;
import dev.recsys.proto.v1.RemoveAliasResponse;
import dev.recsys.proto.v1.RollbackRequest;
import dev.recsys.proto.v1.RollbackResponse;
import dev.recsys.proto.v1.SampleUserIdsRequest;
import dev.recsys.proto.v1.SampleUserIdsResponse;
import dev.recsys.proto.v1.ServingStatus;
import dev.recsys.proto.v1.VersionInfo;
import dev.recsys.proto.v1.VersionState;
import dev.recsys.server.serving.Lease;
import dev.recsys.server.serving.LoadedModel;
import dev.recsys.server.serving.ModelManager;
import dev.recsys.server.serving.Snapshot;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ModelAdmin} service: registry listings, promotion, rollback and alias removal (written
 * to the registry, which every server follows), and this server's own serving status.
 */
public final class ModelAdminService extends ModelAdminGrpc.ModelAdminImplBase {

  static final int HISTORY_SHOWN = 50;

  private final ModelRegistry registry;
  private final String modelName;
  private final ModelManager models;
  private final Runnable aliasChanged;

  /**
   * @param aliasChanged asks the registry watcher to re-read the aliases now (the change is picked
   *     up by polling anyway)
   */
  public ModelAdminService(ModelRegistry registry, String modelName, ModelManager models, Runnable aliasChanged) {
    this.registry = registry;
    this.modelName = modelName;
    this.models = models;
    this.aliasChanged = aliasChanged;
  }

  private String model(String requested) {
    return requested.isEmpty() ? modelName : requested;
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    Calls.unary(observer, () -> {
      List<String> names = request.getModelName().isEmpty() ? registry.models() : List.of(request.getModelName());
      ListModelsResponse.Builder out = ListModelsResponse.newBuilder();
      for (String name : names) {
        out.addModels(modelInfo(name, request.getIncludeManifests()));
      }
      return out.build();
    });
  }

  private ModelInfo modelInfo(String name, boolean manifests) throws IOException {
    List<Alias> aliases = registry.aliases(name);
    ModelInfo.Builder m = ModelInfo.newBuilder().setModelName(name);
    for (VersionCheck v : registry.versions(name)) {
      VersionInfo.Builder b = VersionInfo.newBuilder().setVersion(v.version())
          .setState(v.valid() ? VersionState.VERSION_STATE_READY : VersionState.VERSION_STATE_INVALID);
      if (!v.valid()) {
        b.setProblem(v.problem());
      }
      Manifest manifest = v.manifest();
      if (manifest != null) {
        b.setCreatedAt(ProtoMapping.timestamp(manifest.createdAt())).setDataset(manifest.dataset().name())
            .putAllMetrics(MetricPaths.flatten(manifest.metrics())).setSizeBytes(manifest.totalBytes());
        if (manifests) {
          b.setManifestJson(Json.MAPPER.writeValueAsString(manifest));
        }
      }
      aliases.stream().filter(a -> a.version() == v.version()).forEach(a -> b.addAliases(a.name()));
      m.addVersions(b);
    }
    aliases.forEach(a -> m.addAliases(aliasInfo(a)));
    List<AliasEvent> history = registry.history(name);
    for (AliasEvent e : history.reversed().subList(0, Math.min(HISTORY_SHOWN, history.size()))) {
      m.addHistory(dev.recsys.proto.v1.AliasEvent.newBuilder()
          .setStamp(AuditStamp.newBuilder().setAt(ProtoMapping.timestamp(e.at())).setBy(nullToEmpty(e.by())))
          .setAlias(e.alias()).setAction(e.action()).setFromVersion(e.fromVersion()).setToVersion(e.toVersion())
          .setWeight(e.weight()).setReason(nullToEmpty(e.reason())));
    }
    return m.build();
  }

  private static AliasInfo aliasInfo(Alias a) {
    return AliasInfo.newBuilder().setAlias(a.name()).setVersion(a.version()).setWeight(a.weight())
        .setUpdated(AuditStamp.newBuilder().setAt(ProtoMapping.timestamp(a.updatedAt())).setBy(nullToEmpty(a.updatedBy())))
        .build();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public void promote(PromoteRequest request, StreamObserver<PromoteResponse> observer) {
    Calls.unary(observer, () -> {
      Limits.positive("version", request.getVersion());
      if (request.getAlias().isEmpty()) {
        throw Limits.invalid("alias", "''", "is required (production or canary)");
      }
      String model = model(request.getModelName());
      double weight = request.getAlias().equals(Alias.CANARY) ? request.getWeight() : 1.0;
      AliasEvent e = registry.promote(model, request.getAlias(), request.getVersion(), weight, Caller.identity(), request.getReason());
      aliasChanged.run();
      return PromoteResponse.newBuilder().setAlias(aliasInfo(registry.alias(model, request.getAlias()).orElseThrow()))
          .setPreviousVersion(e.fromVersion()).build();
    });
  }

  @Override
  public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> observer) {
    Calls.unary(observer, () -> {
      String alias = request.getAlias().isEmpty() ? Alias.PRODUCTION : request.getAlias();
      Long to = request.hasToVersion() ? request.getToVersion() : null;
      if (to != null) {
        Limits.positive("to_version", to);
      }
      String model = model(request.getModelName());
      AliasEvent e = registry.rollback(model, alias, to, Caller.identity(), request.getReason());
      aliasChanged.run();
      return RollbackResponse.newBuilder().setAlias(aliasInfo(registry.alias(model, alias).orElseThrow()))
          .setPreviousVersion(e.fromVersion()).build();
    });
  }

  @Override
  public void removeAlias(RemoveAliasRequest request, StreamObserver<RemoveAliasResponse> observer) {
    Calls.unary(observer, () -> {
      if (request.getAlias().isEmpty()) {
        throw Limits.invalid("alias", "''", "is required");
      }
      AliasEvent e = registry.removeAlias(model(request.getModelName()), request.getAlias(), Caller.identity(), request.getReason());
      aliasChanged.run();
      return RemoveAliasResponse.newBuilder().setPreviousVersion(e.fromVersion()).build();
    });
  }

  @Override
  public void getServingStatus(GetServingStatusRequest request, StreamObserver<ServingStatus> observer) {
    Calls.unary(observer, () -> {
      Snapshot s = models.snapshot();
      ServingStatus.Builder out = ServingStatus.newBuilder().setModelName(modelName).setRegistry(registry.root().toString())
          .setServing(s.serving());
      List<LoadedModel> loaded = new ArrayList<>(s.models().values());
      // Retired versions still draining (or leaked) are listed too, with no route.
      models.retiring().stream().filter(m -> s.models().get(m.version()) != m).forEach(loaded::add);
      loaded.sort((a, b) -> Long.compare(b.version(), a.version()));
      for (LoadedModel m : loaded) {
        LoadedVersion.Builder b = LoadedVersion.newBuilder().setVersion(m.version())
            .setLoadedAt(ProtoMapping.timestamp(m.loadedAt())).setLoadSeconds(m.loadSeconds()).setInFlight(m.inFlight())
            .setRatingModel(m.engine().bundle().spec().ratingModel()).setRankingModel(m.engine().bundle().spec().rankingModel())
            .setUsers(m.engine().bundle().users().users()).setMovies(m.engine().catalog().size())
            .setDevice(m.engine().scoringDevice());
        if (m.version() == s.production()) {
          b.addRoutes("production");
        }
        if (m.version() == s.canary()) {
          b.addRoutes("canary").setCanaryWeight(s.canaryWeight());
        }
        out.addLoaded(b);
      }
      for (ModelManager.FailedLoad f : models.failures()) {
        out.addFailedLoads(FailedLoad.newBuilder().setVersion(f.version()).setAt(ProtoMapping.timestamp(f.at())).setReason(f.reason()));
      }
      return out.build();
    });
  }

  @Override
  public void sampleUserIds(SampleUserIdsRequest request, StreamObserver<SampleUserIdsResponse> observer) {
    Calls.unary(observer, () -> {
      Limits.range("count", request.getCount(), 1, Limits.MAX_SAMPLE);
      // The serving model's users: production's, whatever share a canary has.
      try (Lease lease = models.acquireProduction()) {
        SampleUserIdsResponse.Builder out = SampleUserIdsResponse.newBuilder()
            .setTotalUsers(lease.engine().bundle().users().users())
            .setServedBy(ProtoMapping.servedBy(modelName, lease.version(), lease.route()));
        for (long id : lease.engine().sampleUsers(request.getCount(), request.getSeed())) {
          out.addUserIds(id);
        }
        return out.build();
      }
    });
  }
}
