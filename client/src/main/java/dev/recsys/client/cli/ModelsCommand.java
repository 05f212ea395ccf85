package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.models.console.TextTable;
import dev.recsys.proto.v1.AliasEvent;
import dev.recsys.proto.v1.FailedLoad;
import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.ListModelsRequest;
import dev.recsys.proto.v1.ListModelsResponse;
import dev.recsys.proto.v1.LoadedVersion;
import dev.recsys.proto.v1.ModelInfo;
import dev.recsys.proto.v1.PromoteRequest;
import dev.recsys.proto.v1.PromoteResponse;
import dev.recsys.proto.v1.RemoveAliasRequest;
import dev.recsys.proto.v1.RollbackRequest;
import dev.recsys.proto.v1.RollbackResponse;
import dev.recsys.proto.v1.ServingStatus;
import dev.recsys.proto.v1.VersionInfo;
import dev.recsys.proto.v1.VersionState;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code models ...}: model operations through the ModelAdmin API. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List, promote, roll back models; show what the server serves.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Status.class, ModelsCommand.Promote.class,
        ModelsCommand.Rollback.class, ModelsCommand.RemoveAlias.class})
final class ModelsCommand {

  static String when(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds()).toString();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Models, versions, metrics, aliases and history.")
  static final class ListModels extends ApiCommand {
    @Option(names = "--name", defaultValue = "", description = "Only this model.")
    String name;

    @Override
    void run(Connection c) throws Exception {
      ListModelsResponse r = c.admin().listModels(ListModelsRequest.newBuilder().setModelName(name).build());
      if (printedJson(r)) {
        return;
      }
      for (ModelInfo m : r.getModelsList()) {
        System.out.println("model " + m.getModelName());
        TextTable t = new TextTable("version", "state", "created", "dataset", "rating RMSE", "NDCG@10", "aliases", "problem");
        for (VersionInfo v : m.getVersionsList()) {
          t.row(v.getVersion(), v.getState() == VersionState.VERSION_STATE_READY ? "ready" : "INVALID", when(v.getCreatedAt()), v.getDataset(),
              metric(v, "headline.rating_rmse"), metric(v, "headline.ranking_ndcg_at_10"), String.join(",", v.getAliasesList()), v.getProblem());
        }
        System.out.print(t.render());
        if (m.getHistoryCount() > 0) {
          TextTable h = new TextTable("when", "alias", "action", "from", "to", "by", "reason");
          for (AliasEvent e : m.getHistoryList().subList(0, Math.min(10, m.getHistoryCount()))) {
            h.row(when(e.getStamp().getAt()), e.getAlias(), e.getAction(), e.getFromVersion(), e.getToVersion(), e.getStamp().getBy(), e.getReason());
          }
          System.out.println();
          System.out.print(h.render());
        }
      }
    }

    static String metric(VersionInfo v, String key) {
      Double value = v.getMetricsMap().get(key);
      return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "What this server has loaded and which loads failed.")
  static final class Status extends ApiCommand {
    @Override
    void run(Connection c) throws Exception {
      ServingStatus s = c.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance());
      if (printedJson(s)) {
        return;
      }
      System.out.println("model " + s.getModelName() + " from " + s.getRegistry() + ": " + (s.getServing() ? "serving" : "NOT serving"));
      TextTable t = new TextTable("version", "routes", "loaded at", "load s", "in flight", "rating", "ranking", "users", "movies", "device");
      for (LoadedVersion v : s.getLoadedList()) {
        t.row(v.getVersion(), String.join(",", v.getRoutesList()) + (v.getCanaryWeight() > 0 ? "(" + v.getCanaryWeight() + ")" : ""),
            when(v.getLoadedAt()), String.format(Locale.ROOT, "%.2f", v.getLoadSeconds()), v.getInFlight(), v.getRatingModel(),
            v.getRankingModel(), v.getUsers(), v.getMovies(), v.getDevice());
      }
      System.out.print(t.render());
      for (FailedLoad f : s.getFailedLoadsList()) {
        System.out.println("failed: version " + f.getVersion() + " at " + when(f.getAt()) + ": " + f.getReason());
      }
    }
  }

  /** What every alias change takes besides its target: the model and the reason for the history. */
  static final class AliasChange {
    @Option(names = "--reason", defaultValue = "", description = "Kept in the alias history.")
    String reason;

    @Option(names = "--name", defaultValue = "", description = "Model (default: the server's).")
    String name;
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Point an alias at a version (the servers load it in the background).")
  static final class Promote extends ApiCommand {
    @Option(names = "--version", required = true, description = "Version.")
    long version;

    @Option(names = "--alias", defaultValue = "production", description = "production or canary (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--weight", defaultValue = "0.1", description = "Canary share of users (default: ${DEFAULT-VALUE}).")
    double weight;

    @Mixin
    AliasChange change;

    @Override
    void run(Connection c) throws Exception {
      PromoteResponse r = c.admin().promote(PromoteRequest.newBuilder().setModelName(change.name).setAlias(alias).setVersion(version)
          .setWeight(weight).setReason(change.reason).build());
      if (!printedJson(r)) {
        System.out.println(alias + ": " + r.getPreviousVersion() + " -> " + r.getAlias().getVersion());
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Move an alias back to its previous version.")
  static final class Rollback extends ApiCommand {
    @Option(names = "--alias", defaultValue = "production", description = "Alias (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--to", description = "Roll back to this version.")
    Long to;

    @Mixin
    AliasChange change;

    @Override
    void run(Connection c) throws Exception {
      RollbackRequest.Builder b = RollbackRequest.newBuilder().setModelName(change.name).setAlias(alias).setReason(change.reason);
      if (to != null) {
        b.setToVersion(to);
      }
      RollbackResponse r = c.admin().rollback(b.build());
      if (!printedJson(r)) {
        System.out.println(alias + ": " + r.getPreviousVersion() + " -> " + r.getAlias().getVersion());
      }
    }
  }

  @Command(name = "remove-alias", mixinStandardHelpOptions = true, description = "Remove an alias (e.g. a finished canary).")
  static final class RemoveAlias extends ApiCommand {
    @Option(names = "--alias", required = true, description = "Alias.")
    String alias;

    @Mixin
    AliasChange change;

    @Override
    void run(Connection c) throws Exception {
      var r = c.admin().removeAlias(RemoveAliasRequest.newBuilder().setModelName(change.name).setAlias(alias).setReason(change.reason).build());
      if (!printedJson(r)) {
        System.out.println(alias + ": removed (was " + r.getPreviousVersion() + ")");
      }
    }
  }
}
