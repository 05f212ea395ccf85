package dev.recsys.trainer.cli;

import dev.recsys.models.console.Durations;
import dev.recsys.models.console.TextTable;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.MetricPaths;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.AliasEvent;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys-trainer registry ...}: offline MLOps on a registry folder. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "List, verify, promote, roll back and prune model versions in a registry folder.",
    subcommands = {
      RegistryCommand.ListVersions.class,
      RegistryCommand.Verify.class,
      RegistryCommand.Promote.class,
      RegistryCommand.Rollback.class,
      RegistryCommand.RemoveAlias.class,
      RegistryCommand.Retain.class,
      RegistryCommand.Keygen.class,
      RegistryCommand.Sign.class,
      IndexRecallCommand.class
    })
public final class RegistryCommand {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** Headline metrics shown in listings, when the manifest has them. */
  static final List<String> HEADLINE = List.of("headline.rating_rmse", "headline.ranking_ndcg_at_10");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Versions, their state, headline metrics and aliases.")
  static final class ListVersions implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Option(names = "--history", defaultValue = "10", description = "Alias changes to show (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--json", description = "Print the versions and aliases as JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      ModelRegistry registry = options.open();
      List<String> models = registry.models();
      if (json) {
        System.out.println(dev.recsys.models.manifest.Json.MAPPER.writeValueAsString(asJson(registry, models.contains(options.name))));
        return 0;
      }
      if (!models.contains(options.name)) {
        System.out.println("no model '" + options.name + "' in " + registry.root() + (models.isEmpty() ? "" : " (models: " + models + ")"));
        return 0;
      }
      List<Alias> aliases = registry.aliases(options.name);
      TextTable table = new TextTable("version", "state", "created", "dataset", "rating RMSE", "NDCG@10", "size", "aliases", "problem");
      for (VersionCheck v : registry.versions(options.name)) {
        Manifest m = v.manifest();
        Map<String, Double> metrics = m == null ? Map.of() : MetricPaths.flatten(m.metrics());
        table.row(
            v.version(),
            v.valid() ? "ready" : "INVALID",
            m == null ? "" : TIME.format(m.createdAt()),
            m == null ? "" : m.dataset().name(),
            format(metrics.get(HEADLINE.get(0))),
            format(metrics.get(HEADLINE.get(1))),
            m == null ? "" : Durations.bytes(m.totalBytes()),
            String.join(",", aliases.stream().filter(a -> a.version() == v.version())
                .map(a -> a.name().equals(Alias.CANARY) ? a.name() + "(" + a.weight() + ")" : a.name()).toList()),
            v.valid() ? "" : v.problem());
      }
      System.out.println("model " + options.name + " in " + registry.root());
      System.out.print(table.render());
      List<AliasEvent> events = registry.history(options.name);
      if (!events.isEmpty() && history > 0) {
        System.out.println();
        TextTable log = new TextTable("when", "alias", "action", "from", "to", "by", "reason");
        for (AliasEvent e : events.reversed().subList(0, Math.min(history, events.size()))) {
          log.row(TIME.format(e.at()), e.alias(), e.action(), e.fromVersion(), e.toVersion(), e.by(), e.reason());
        }
        System.out.print(log.render());
      }
      return 0;
    }

    private static String format(Double value) {
      return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** Newest version first; {@code versions} and {@code aliases} empty when the model has none. */
    private tools.jackson.databind.node.ObjectNode asJson(ModelRegistry registry, boolean exists) throws IOException {
      var root = dev.recsys.models.manifest.Json.object();
      root.put("model", options.name);
      root.put("registry", registry.root().toString());
      var versions = root.putArray("versions");
      var aliasesJson = root.putArray("aliases");
      if (!exists) {
        return root;
      }
      List<Alias> aliases = registry.aliases(options.name);
      for (VersionCheck v : registry.versions(options.name)) {
        var o = versions.addObject();
        o.put("version", v.version());
        o.put("valid", v.valid());
        if (!v.valid()) {
          o.put("problem", v.problem());
        }
        Manifest m = v.manifest();
        if (m != null) {
          o.put("created_at", m.createdAt().toString());
          o.put("dataset", m.dataset().name());
          var metrics = o.putObject("headline");
          MetricPaths.flatten(m.metrics()).forEach((k, value) -> {
            if (HEADLINE.contains(k)) {
              metrics.put(k.substring(k.indexOf('.') + 1), value);
            }
          });
        }
      }
      for (Alias a : aliases) {
        var o = aliasesJson.addObject();
        o.put("name", a.name());
        o.put("version", a.version());
        o.put("weight", a.weight());
      }
      return root;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Hash every file of a version against its manifest.")
  static final class Verify implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Option(names = "--version", required = true, description = "Version number.")
    long version;

    @Option(names = "--trusted-keys", description = "Also require a signature by one of these Ed25519 public keys (PEM file or folder), "
        + "as a server started with --trusted-keys does.")
    java.nio.file.Path trustedKeys;

    @Option(names = "--load", description = "Also build the version in memory as a server does (shapes, finite values, smoke tests, "
        + "the published load-time tables' checks) and say whether a server would serve it and which tables it would rebuild.")
    boolean load;

    @Override
    public Integer call() throws java.io.IOException {
      // With keys, the server's own path: a private copy, hashed while copied, after the signature
      // check. The copy exists only while withVerifiedCopy runs, so the report (and --load) runs in it.
      return trustedKeys == null
          ? report(options.open().verify(options.name, version))
          : options.open().withVerifiedCopy(options.name, version, dev.recsys.models.signing.TrustedKeys.read(trustedKeys), this::report);
    }

    private int report(VersionCheck check) {
      if (!check.valid()) {
        System.out.println("version " + version + ": INVALID: " + check.problem());
        return 1;
      }
      String verified = "checksums verified" + (trustedKeys == null ? "" : ", signed by a trusted key");
      if (!load) {
        System.out.println("version " + version + ": ok (" + verified + ")");
        return 0;
      }
      dev.recsys.models.bundle.ModelBundle bundle;
      try {
        bundle = dev.recsys.models.bundle.ModelBundle.load(check.dir(), check.manifest(), true);
      } catch (dev.recsys.models.bundle.InvalidBundleException e) {
        System.out.println("version " + version + ": INVALID: " + verified + ", but a server would refuse it: " + e.getMessage());
        return 1;
      }
      System.out.println("version " + version + ": ok (" + verified + "; loads: " + bundle.catalog().size() + " movies, "
          + bundle.users().users() + " users, smoke tests reproduce; load-time tables "
          + (bundle.rebuiltTables().isEmpty() ? "all published and checked)" : "rebuilt at every load)"));
      for (String rebuilt : bundle.rebuiltTables()) {
        System.out.println("  " + rebuilt);
      }
      return 0;
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = "Sign a published version (after a key rotation, or one published unsigned): its files are hashed against the manifest first.")
  static final class Sign implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Mixin SigningOptions signing;

    @Option(names = "--version", required = true, description = "Version number.")
    long version;

    @Override
    public Integer call() throws java.io.IOException {
      dev.recsys.models.signing.SigningKey key = signing.signer();
      if (key == null) {
        throw new IllegalArgumentException("--signing-key (or RECSYS_SIGNING_KEY) is required");
      }
      options.open().sign(options.name, version, key);
      System.out.println("version " + version + ": signed by key " + key.keyId());
      return 0;
    }
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = "Make an Ed25519 key pair for signing versions: the private key for the trainer (--signing-key), the public key for servers (--trusted-keys).")
  static final class Keygen implements Callable<Integer> {
    @Option(names = "--private-key", required = true, description = "File to write the private key to (PEM, readable by its owner only); must not exist.")
    java.nio.file.Path privateKey;

    @Option(names = "--public-key", required = true, description = "File to write the public key to (PEM).")
    java.nio.file.Path publicKey;

    @Override
    public Integer call() throws java.io.IOException {
      // SigningKey.generate refuses an existing private key before writing anything.
      dev.recsys.models.signing.SigningKey key = dev.recsys.models.signing.SigningKey.generate(privateKey, publicKey);
      System.out.println("key " + key.keyId() + ": private " + privateKey + ", public " + publicKey);
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Point an alias (production, canary) at a verified version.")
  static final class Promote implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Option(names = "--version", required = true, description = "Version number.")
    long version;

    @Option(names = "--alias", defaultValue = Alias.PRODUCTION, description = "Alias (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--weight", defaultValue = "1.0", description = "Share of users for a canary, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double weight;

    @Option(names = "--reason", description = "Kept in the alias history.")
    String reason;

    @Override
    public Integer call() throws IOException {
      AliasEvent e = options.open().promote(options.name, alias, version, weight, RegistryOptions.actor(), reason);
      System.out.println(alias + ": " + (e.fromVersion() == 0 ? "(none)" : e.fromVersion()) + " -> " + e.toVersion());
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Move an alias back to its previous valid version.")
  static final class Rollback implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Option(names = "--alias", defaultValue = Alias.PRODUCTION, description = "Alias (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--to", description = "Roll back to this version instead of the previous one.")
    Long to;

    @Option(names = "--reason", description = "Kept in the alias history.")
    String reason;

    @Override
    public Integer call() throws IOException {
      AliasEvent e = options.open().rollback(options.name, alias, to, RegistryOptions.actor(), reason);
      System.out.println(alias + ": " + e.fromVersion() + " -> " + e.toVersion());
      return 0;
    }
  }

  @Command(name = "remove-alias", mixinStandardHelpOptions = true, description = "Remove an alias (e.g. a finished canary).")
  static final class RemoveAlias implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Option(names = "--alias", required = true, description = "Alias to remove.")
    String alias;

    @Option(names = "--reason", description = "Kept in the alias history.")
    String reason;

    @Override
    public Integer call() throws IOException {
      AliasEvent e = options.open().removeAlias(options.name, alias, RegistryOptions.actor(), reason);
      System.out.println(alias + ": removed (was " + e.fromVersion() + ")");
      return 0;
    }
  }

  @Command(name = "retain", mixinStandardHelpOptions = true,
      description = "Delete all but the newest N versions (never an aliased one) and abandoned staging folders.")
  static final class Retain implements Callable<Integer> {
    @Mixin RegistryOptions options;

    @Option(names = "--keep", defaultValue = "5", description = "Versions to keep (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--stale-staging-hours", defaultValue = "24",
        description = "Staging folders older than this are a crashed trainer's (default: ${DEFAULT-VALUE}).")
    long staleHours;

    @Override
    public Integer call() throws IOException {
      ModelRegistry.RetentionResult r = options.open().retain(options.name, keep, Duration.ofHours(staleHours));
      System.out.println("deleted versions " + r.deletedVersions() + ", staging folders " + r.deletedStagingFolders());
      return 0;
    }
  }
}
