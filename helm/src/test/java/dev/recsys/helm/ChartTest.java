package dev.recsys.helm;

import static dev.recsys.helm.RenderedChart.container;
import static dev.recsys.helm.RenderedChart.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.recsys.server.ServerMain;
import dev.recsys.trainer.cli.TrainerCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * Lints the chart and renders it with the values an operator would set, asserting on the
 * manifests: what reaches the server and trainer, GPU scheduling, probes, the registry mount,
 * security settings, and that the values schema refuses bad values before anything is applied.
 */
class ChartTest {

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();
    assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
  }

  @Test
  void defaultsRenderACpuServerWithItsRegistryClaimAndNoOptionalParts() {
    RenderedChart chart = RenderedChart.render();
    assertEquals(List.of("Deployment", "NetworkPolicy", "PersistentVolumeClaim", "PodDisruptionBudget", "Service", "ServiceAccount"),
        chart.kinds().stream().sorted().toList(), chart::text);

    JsonNode server = chart.serverContainer();
    assertTrue(server.path("image").asString().startsWith("registry.example.com/recsys/recsys-server:"), server::toString);
    assertTrue(server.path("resources").path("limits").path("nvidia.com/gpu").isMissingNode(), "no GPU asked for by default");
    JsonNode pod = chart.get("Deployment").path("spec").path("template").path("spec");
    assertTrue(pod.path("nodeSelector").isMissingNode(), pod::toString);
    assertTrue(pod.path("tolerations").isMissingNode(), pod::toString);
    assertEquals(2, chart.get("Deployment").path("spec").path("replicas").asInt());
    assertEquals("auto", env(server, "RECSYS_DEVICE").orElseThrow());
  }

  @Test
  void theJvmSizesItsPoolsForThePodsCpus_notTheNodes() {
    assertTrue(env(RenderedChart.render(ordered()).serverContainer(), "JAVA_TOOL_OPTIONS").orElseThrow().endsWith("-XX:ActiveProcessorCount=1"),
        "the default request of 1 CPU");
    assertTrue(env(RenderedChart.render(ordered("resources.requests.cpu", "1500m")).serverContainer(), "JAVA_TOOL_OPTIONS").orElseThrow()
        .endsWith("-XX:ActiveProcessorCount=2"), "rounded up");
    assertTrue(env(RenderedChart.render(ordered("resources.limits.cpu", "4")).serverContainer(), "JAVA_TOOL_OPTIONS").orElseThrow()
        .endsWith("-XX:ActiveProcessorCount=4"), "a limit wins over the request");
    assertEquals("-XX:ActiveProcessorCount=8", env(RenderedChart.render(ordered("server.javaOpts", "-XX:ActiveProcessorCount=8"))
        .serverContainer(), "JAVA_TOOL_OPTIONS").orElseThrow(), "an explicit count is kept");
  }

  @Test
  void gpuAsksForTheDeviceSchedulesOnGpuNodesAndUsesTheCudaImage() {
    RenderedChart chart = RenderedChart.render(Map.of("gpu.enabled", "true", "gpu.count", "2", "server.device", "gpu"));
    JsonNode server = chart.serverContainer();
    assertEquals(2, server.path("resources").path("limits").path("nvidia.com/gpu").asInt(), server::toString);
    assertEquals("4Gi", server.path("resources").path("limits").path("memory").asString(), "the other limits stay");
    assertTrue(server.path("image").asString().startsWith("registry.example.com/recsys/recsys-server-gpu:"));
    assertEquals("gpu", env(server, "RECSYS_DEVICE").orElseThrow());
    JsonNode pod = chart.get("Deployment").path("spec").path("template").path("spec");
    assertEquals("true", pod.path("nodeSelector").path("nvidia.com/gpu.present").asString(), pod::toString);
    assertEquals("nvidia.com/gpu", pod.path("tolerations").path(0).path("key").asString());
    assertEquals("gpu", env(RenderedChart.render(Map.of("gpu.enabled", "true")).serverContainer(), "RECSYS_DEVICE").orElseThrow(),
        "gpu.enabled alone asks for the GPU (auto would fall back to the CPU silently)");
    assertEquals("cpu", env(RenderedChart.render(Map.of("gpu.enabled", "true", "server.device", "cpu")).serverContainer(), "RECSYS_DEVICE")
        .orElseThrow(), "an explicit device is kept");
  }

  @Test
  void probesUseGrpcHealthOnThePlaintextHealthPortAndGraceCoversTheDrain() {
    RenderedChart chart = RenderedChart.render(Map.of("server.port", "6000", "server.healthPort", "6100", "server.drainSeconds", "30"));
    JsonNode server = chart.serverContainer();
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertEquals(6100, server.path(probe).path("grpc").path("port").asInt(), probe + ": the kubelet's gRPC probes cannot speak TLS");
    }
    assertEquals("6100", env(server, "RECSYS_HEALTH_PORT").orElseThrow());
    assertEquals("recsys.v1.Recommender", server.path("readinessProbe").path("grpc").path("service").asString(),
        "readiness follows the model being loaded");
    for (String probe : List.of("startupProbe", "livenessProbe")) {
      assertEquals(dev.recsys.server.RecsysServer.LIVENESS, server.path(probe).path("grpc").path("service").asString(),
          probe + ": a server waiting for its first version is alive, not restarted");
    }
    assertEquals("6000", env(server, "RECSYS_PORT").orElseThrow());
    assertEquals(6000, server.path("ports").path(0).path("containerPort").asInt());
    JsonNode pod = chart.get("Deployment").path("spec").path("template").path("spec");
    int grace = pod.path("terminationGracePeriodSeconds").asInt();
    assertTrue(grace > 30 + 5, "grace " + grace + " must exceed drain + preStop sleep");
    JsonNode service = chart.get("Service");
    assertEquals(6000, service.path("spec").path("ports").path(0).path("port").asInt());
    assertEquals("grpc", service.path("spec").path("ports").path(0).path("appProtocol").asString());
  }

  @Test
  void registryMountPathIsWhatTheServerAndTrainerAreToldToRead() {
    RenderedChart chart = RenderedChart.render(Map.of(
        "registry.mountPath", "/data/models", "trainer.enabled", "true", "trainer.promote", "production"));
    JsonNode server = chart.serverContainer();
    assertEquals("/data/models", env(server, "RECSYS_REGISTRY").orElseThrow());
    JsonNode mount = volumeMount(server, "registry");
    assertEquals("/data/models", mount.path("mountPath").asString());
    assertTrue(mount.path("readOnly").asBoolean(), "servers mount the registry read-only by default");

    JsonNode trainer = container(chart.get("Job").path("spec").path("template").path("spec"), "trainer");
    assertEquals("/data/models", volumeMount(trainer, "registry").path("mountPath").asString());
    assertTrue(strings(trainer.path("args")).contains("--registry=/data/models"), trainer::toString);
    String claim = chart.get("PersistentVolumeClaim").path("metadata").path("name").asString();
    assertEquals(claim, claimOf(chart.get("Deployment").path("spec").path("template").path("spec")));
    assertEquals(claim, claimOf(chart.get("Job").path("spec").path("template").path("spec")));
  }

  @Test
  void existingClaimIsUsedAndNoClaimIsCreated() {
    RenderedChart chart = RenderedChart.render(Map.of("registry.persistence.existingClaim", "shared-models"));
    assertTrue(chart.find("PersistentVolumeClaim").isEmpty(), chart::text);
    assertEquals("shared-models", claimOf(chart.get("Deployment").path("spec").path("template").path("spec")));
  }

  @Test
  void podsRunAsNonRootWithAReadOnlyRootAndAWritableTmp() {
    RenderedChart chart = RenderedChart.render();
    JsonNode pod = chart.get("Deployment").path("spec").path("template").path("spec");
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
    JsonNode server = chart.serverContainer();
    JsonNode security = server.path("securityContext");
    assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
    assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals("ALL", security.path("capabilities").path("drop").path(0).asString());
    assertEquals("/tmp", volumeMount(server, "tmp").path("mountPath").asString(), "libtorch unpacks into /tmp");
  }

  @Test
  void byDefault_aNetworkPolicyLetsTheServerOpenNoConnection_andLetsCallersIn() {
    JsonNode policy = RenderedChart.render(ordered()).get("NetworkPolicy");
    assertEquals(List.of("Ingress", "Egress"), policy.path("spec").path("policyTypes").valueStream().map(JsonNode::asString).toList());
    assertTrue(policy.path("spec").path("egress").isArray() && policy.path("spec").path("egress").isEmpty(), "no egress rule: none allowed");
    assertEquals("server", policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asString());
    assertEquals(2, policy.path("spec").path("ingress").size(), "gRPC and metrics ports");
    JsonNode allowed = RenderedChart.render(ordered("networkPolicy.egress[0].ports[0].port", "4317")).get("NetworkPolicy");
    assertEquals(4317, allowed.path("spec").path("egress").path(0).path("ports").path(0).path("port").asInt());
    assertTrue(RenderedChart.render(ordered("networkPolicy.enabled", "false")).all().stream()
        .noneMatch(d -> d.path("kind").asString().equals("NetworkPolicy")));
  }

  @Test
  void monitoringAutoscalingAndNetworkPolicyRenderWhenEnabled() {
    RenderedChart chart = RenderedChart.render(ordered(
        "serviceMonitor.enabled", "true", "autoscaling.enabled", "true", "networkPolicy.enabled", "true",
        "grafanaDashboard.enabled", "true", "trainer.cron.enabled", "true"));
    JsonNode monitor = chart.get("ServiceMonitor");
    assertEquals("metrics", monitor.path("spec").path("endpoints").path(0).path("port").asString());
    assertEquals("server", monitor.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/component").asString());
    assertTrue(chart.get("Deployment").path("spec").path("replicas").isMissingNode(), "the HPA owns replicas");
    assertEquals(10, chart.get("HorizontalPodAutoscaler").path("spec").path("maxReplicas").asInt());
    chart.get("CronJob");
    JsonNode dashboard = chart.get("ConfigMap");
    assertTrue(dashboard.path("data").properties().iterator().next().getValue().asString().contains("recsys_"),
        "the dashboard queries the server's metrics");
  }

  @Test
  void tlsAndTokensMountSecretsAndTellTheServerWhereTheyAre() {
    RenderedChart chart = RenderedChart.render(ordered(
        "server.tls.enabled", "true", "server.tls.secretName", "recsys-tls", "server.tls.requireClientCert", "true",
        "server.auth.adminTokenSecret", "admin-token", "server.auth.adminIdentities[0]", "uri:spiffe://x/mlops|CN=Ops CA,O=Example", "server.auth.adminIdentities[1]", "dns:ops.example|CN=Ops CA,O=Example"));
    JsonNode server = chart.serverContainer();
    assertEquals("/etc/recsys/tls/tls.crt", env(server, "RECSYS_TLS_CERT").orElseThrow());
    assertEquals("/etc/recsys/tls/ca.crt", env(server, "RECSYS_TLS_CLIENT_CA").orElseThrow());
    assertEquals("/etc/recsys/admin-token/token", env(server, "RECSYS_ADMIN_TOKEN_FILE").orElseThrow());
    assertEquals("uri:spiffe://x/mlops|CN=Ops CA,O=Example;dns:ops.example|CN=Ops CA,O=Example", env(server, "RECSYS_ADMIN_IDENTITIES").orElseThrow(),
        "identities hold commas (in issuer names): the chart joins them with ';', as the server splits them");
    assertEquals("/etc/recsys/tls", volumeMount(server, "tls").path("mountPath").asString());
    assertFalse(chart.text().contains("BEGIN"), "no key material in the manifests");
  }

  @Test
  void signingKeepsPublicKeysInAConfigMapForServersAndThePrivateKeyInTrainerPodsOnly() {
    String pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    RenderedChart chart = RenderedChart.render(ordered("signing.trustedKeys.trainer-2026", pem, "signing.keySecret", "recsys-signing",
        "trainer.enabled", "true", "sparkTrainer.enabled", "true", "sparkTrainer.ratings", "s3a://bucket/ratings.csv"));
    JsonNode configMap = chart.all().stream().filter(m -> m.path("kind").asString().equals("ConfigMap")
        && m.path("metadata").path("name").asString().endsWith("-trusted-keys")).findFirst().orElseThrow(() -> new AssertionError(chart.text()));
    assertTrue(configMap.path("data").path("trainer-2026.pub").asString().contains("BEGIN PUBLIC KEY"), configMap::toString);
    JsonNode server = chart.serverContainer();
    assertEquals("/etc/recsys/trusted-keys", env(server, "RECSYS_TRUSTED_KEYS").orElseThrow());
    assertEquals("/etc/recsys/trusted-keys", volumeMount(server, "trusted-keys").path("mountPath").asString());
    assertTrue(env(server, "RECSYS_SIGNING_KEY").isEmpty(), "servers never see the private key");
    assertFalse(chart.get("Deployment").toString().contains("recsys-signing"), "servers never mount the signing secret");

    JsonNode trainer = container(chart.get("Job").path("spec").path("template").path("spec"), "trainer");
    assertEquals("/etc/recsys/signing/signing.key", env(trainer, "RECSYS_SIGNING_KEY").orElseThrow());
    assertTrue(volumeMount(trainer, "signing-key").path("readOnly").asBoolean());
    JsonNode driver = chart.get("SparkApplication").path("spec").path("driver");
    assertEquals("/etc/recsys/signing/signing.key", env(driver, "RECSYS_SIGNING_KEY").orElseThrow());
    assertEquals(10001, driver.path("podSecurityContext").path("fsGroup").asInt(),
        "the key (mode 0400) is readable by the image's user only through the pod's group");
    assertEquals(List.of("tmp"), names(chart.get("SparkApplication").path("spec").path("executor").path("volumeMounts")),
        "executors never see the private key");
    assertFalse(chart.text().contains("PRIVATE KEY"), "no private key material in the manifests");

    RenderedChart existing = RenderedChart.render(ordered("signing.trustedKeysConfigMap", "ops-keys"));
    assertTrue(existing.get("Deployment").toString().contains("ops-keys"), "an existing ConfigMap is mounted by name");
    assertTrue(RenderedChart.render().find("Deployment").orElseThrow().toString().indexOf("trusted-keys") < 0, "no signatures required by default");
  }

  @Test
  void tokensWithoutTlsFailToRenderUnlessPlaintextTokensAreAccepted() {
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> RenderedChart.render(Map.of("server.auth.adminTokenSecret", "admin-token")));
    assertTrue(error.getMessage().contains("need server.tls.enabled"), error.getMessage());
    RenderedChart chart = RenderedChart.render(ordered("server.auth.adminTokenSecret", "admin-token", "server.auth.allowPlaintextTokens", "true"));
    assertEquals("true", env(chart.serverContainer(), "RECSYS_ALLOW_PLAINTEXT_TOKENS").orElseThrow());
  }

  @Test
  void theHeapIsFixedAndPreTouched_onlyUnderAMemoryLimit() {
    String opts = env(RenderedChart.render(ordered()).serverContainer(), "JAVA_TOOL_OPTIONS").orElseThrow();
    assertTrue(opts.contains("-XX:InitialRAMPercentage=75 -XX:MaxRAMPercentage=75 -XX:+AlwaysPreTouch"), opts);
    RuntimeException error = assertThrows(RuntimeException.class, () -> RenderedChart.render(ordered("resources.limits.memory", "")));
    assertTrue(error.getMessage().contains("set resources.limits.memory"), error.getMessage());
    assertTrue(RenderedChart.render(ordered("resources.limits.memory", "", "server.javaOpts", "-XX:MaxRAMPercentage=50")).serverContainer() != null,
        "without pre-touch no limit is needed");
  }

  @Test
  void aWorkerPoolWithBatchingFailsToRender_asTheServerWouldRefuseIt() {
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> RenderedChart.render(ordered("gpu.enabled", "true", "server.workerThreads", "64")));
    assertTrue(error.getMessage().contains("server.workerThreads must stay 0 with batching on"), error.getMessage());
    assertEquals("64", env(RenderedChart.render(ordered("server.workerThreads", "64")).serverContainer(), "RECSYS_WORKER_THREADS").orElseThrow(),
        "a pool without batching is fine");
  }

  /** Values the server would refuse at start-up (a crash-looping pod) are refused when the chart renders, naming them. */
  @Test
  void valuesTheServerWouldRefuse_failToRender_namingThem() {
    Map<Map<String, String>, String> cases = Map.of(
        ordered("server.metricsPort", "6002"), "must differ",
        ordered("server.warmUpMs", "60000", "server.loadTimeoutSeconds", "30"), "server.warmUpMs (60000) must be below",
        ordered("server.device", "gpu"), "server.device=gpu needs gpu.enabled=true",
        ordered("server.auth.adminIdentities[0]", "uri:spiffe://x/mlops|CN=Ops CA"), "adminIdentities need server.tls.enabled");
    cases.forEach((values, expected) -> {
      RuntimeException error = assertThrows(RuntimeException.class, () -> RenderedChart.render(values), values::toString);
      assertTrue(error.getMessage().contains(expected), values + ": " + error.getMessage());
    });
    for (Map<String, String> schemaBad : List.of(Map.of("server.pollSeconds", "0.05"), Map.of("server.auth.adminIdentities[0]", "CN=mlops"))) {
      RuntimeException error = assertThrows(RuntimeException.class, () -> RenderedChart.render(schemaBad), schemaBad::toString);
      assertTrue(error.getMessage().contains("schema"), schemaBad + ": " + error.getMessage());
    }
  }

  /** Admin identities without required client certificates: the client CA is still given, so the server can verify them. */
  @Test
  void adminIdentitiesWithOptionalClientCertificates_getTheClientCa() {
    JsonNode server = RenderedChart.render(ordered("server.tls.enabled", "true", "server.tls.secretName", "s",
        "server.auth.adminIdentities[0]", "uri:spiffe://x/mlops|CN=Ops CA")).serverContainer();
    assertEquals("/etc/recsys/tls/ca.crt", env(server, "RECSYS_TLS_CLIENT_CA").orElseThrow());
    assertTrue(env(server, "RECSYS_TLS_REQUIRE_CLIENT_CERT").isEmpty(), "optional: callers without a certificate may still read");
  }

  @Test
  void tlsWithoutASecretNameFailsToRender() {
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> RenderedChart.render(Map.of("server.tls.enabled", "true")));
    assertTrue(error.getMessage().contains("server.tls.secretName is required"), error.getMessage());
  }

  @Test
  void refusesClustersTooOldForItsProbesAndHooks() {
    RuntimeException error = assertThrows(RuntimeException.class, () -> RenderedChart.render("1.26.0", Map.of()));
    assertTrue(error.getMessage().contains("kubeVersion"), error.getMessage());
  }

  @Test
  void schemaRefusesBadValues() {
    Map<String, String> bad = Map.of(
        "replicaCount", "-1",
        "server.device", "tpu",
        "server.port", "70000",
        "server.batchSize", "0",
        "registry.mountPath", "relative/path",
        "image.pullPolicy", "Sometimes");
    bad.forEach((key, value) -> {
      RuntimeException error = assertThrows(RuntimeException.class,
          () -> RenderedChart.render(Map.of(key, value)), key + "=" + value + " must be refused");
      assertTrue(error.getMessage().contains("schema"), key + ": " + error.getMessage());
    });
  }

  /** Every RECSYS_* variable the chart sets is one the server reads (named in its usage text). */
  @Test
  void everyServerVariableTheChartSetsIsOneTheServerReads() {
    RenderedChart chart = RenderedChart.render(ordered(
        "server.tls.enabled", "true", "server.tls.secretName", "s", "server.tls.requireClientCert", "true",
        "server.auth.adminTokenSecret", "a", "server.auth.recommenderTokenSecret", "r",
        "server.auth.adminIdentities[0]", "uri:spiffe://x/mlops|CN=Ops CA"));
    String usage = new CommandLine(new ServerMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    List<String> unknown = new ArrayList<>();
    for (JsonNode e : chart.serverContainer().path("env")) {
      String name = e.path("name").asString();
      if (name.startsWith("RECSYS_") && !Pattern.compile("\\b" + name + "\\b").matcher(usage).find()) {
        unknown.add(name);
      }
    }
    assertEquals(List.of(), unknown, "variables the server does not read");
  }

  /**
   * What the chart renders, the server accepts: each RECSYS_* variable with a plain value is given to
   * the server's own command line as the option it feeds, and the resulting configuration validates.
   * (A number of a million or more in a values file renders as 4.194304e+06 unless the template
   * makes it an integer; the server refused to start with the chart's default message limit.)
   */
  @Test
  void theServerAcceptsTheSettingsTheChartRenders() {
    CommandLine parser = new CommandLine(new ServerMain());
    Map<String, String> optionOf = new java.util.HashMap<>();
    for (CommandLine.Model.OptionSpec option : parser.getCommandSpec().options()) {
      java.util.regex.Matcher m = Pattern.compile("\\bRECSYS_[A-Z_]+\\b").matcher(String.join(" ", option.description()));
      if (m.find()) {
        optionOf.put(m.group(), option.longestName());
      }
    }
    for (Map<String, String> values : List.of(ordered(),
        ordered("server.userCacheSize", "2000000", "server.resultCacheSize", "1500000", "server.maxMessageBytes", "8388608"))) {
      List<String> args = new ArrayList<>();
      for (JsonNode e : RenderedChart.render(values).serverContainer().path("env")) {
        String option = optionOf.get(e.path("name").asString());
        if (option != null && e.has("value")) {
          args.add(option + "=" + e.path("value").asString());
        }
      }
      assertTrue(args.size() > 10, args::toString);
      ServerMain main = new ServerMain();
      new CommandLine(main).parseArgs(args.toArray(String[]::new));
      assertEquals(values.isEmpty() ? 4 << 20 : 8 << 20, main.config().maxInboundMessageBytes(), args::toString);
    }
  }

  /**
   * The converse: every setting the server reads from a RECSYS_* variable can be set through the
   * chart, except those it deliberately does not offer.
   */
  @Test
  void everyVariableTheServerReadsCanBeSetThroughTheChart() {
    // Two renders between them turn every option on: TLS with client certificates, and tokens
    // over plaintext (which only renders without TLS).
    java.util.Set<String> set = new java.util.TreeSet<>();
    for (RenderedChart chart : List.of(
        RenderedChart.render(ordered(
            "server.tls.enabled", "true", "server.tls.secretName", "s", "server.tls.requireClientCert", "true",
            "server.auth.adminTokenSecret", "a", "server.auth.recommenderTokenSecret", "r",
            "server.auth.adminIdentities[0]", "uri:spiffe://x/mlops|CN=Ops CA", "signing.trustedKeysConfigMap", "keys", "gpu.enabled", "true")),
        RenderedChart.render(ordered("server.auth.adminTokenSecret", "a", "server.auth.allowPlaintextTokens", "true")))) {
      for (JsonNode e : chart.serverContainer().path("env")) {
        set.add(e.path("name").asString());
      }
    }
    // RECSYS_HOST: a pod listens on every interface; RECSYS_INSECURE_ADMIN: admin calls without any
    // credential are for a developer's machine, never a cluster.
    java.util.Set<String> notOffered = java.util.Set.of("RECSYS_HOST", "RECSYS_INSECURE_ADMIN");
    String usage = new CommandLine(new ServerMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    java.util.Set<String> missing = new java.util.TreeSet<>();
    java.util.regex.Matcher m = Pattern.compile("\\bRECSYS_[A-Z_]+\\b").matcher(usage);
    while (m.find()) {
      if (!set.contains(m.group()) && !notOffered.contains(m.group())) {
        missing.add(m.group());
      }
    }
    assertEquals(java.util.Set.of(), missing, "server settings the chart cannot set");
  }

  /** The trainer job's arguments parse with the trainer's own command line. */
  @Test
  void trainerJobArgumentsAreAcceptedByTheTrainer() {
    RenderedChart chart = RenderedChart.render(ordered(
        "trainer.enabled", "true", "trainer.promote", "production", "trainer.extraArgs[0]", "--validation=0.2"));
    JsonNode trainer = container(chart.get("Job").path("spec").path("template").path("spec"), "trainer");
    List<String> args = strings(trainer.path("args"));
    CommandLine.ParseResult parsed = new CommandLine(new TrainerCommand()).parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult train = parsed.subcommand();
    assertEquals("train", train.commandSpec().name());
    assertEquals("production", train.matchedOptionValue("--promote", ""));
    assertEquals(0.2, train.matchedOptionValue("--validation", 0.0), 1e-9);
    assertEquals("movielens", train.matchedOptionValue("--name", ""));
  }

  /**
   * The optional SparkApplication: the driver mounts the servers' registry claim where its
   * arguments say the registry is, and the arguments parse with the Spark trainer's command line.
   */
  @Test
  void sparkApplicationPublishesIntoTheSharedRegistryWithArgumentsTheSparkTrainerTakes() {
    assertTrue(RenderedChart.render().find("SparkApplication").isEmpty(), "off by default");
    RenderedChart chart = RenderedChart.render(ordered(
        "sparkTrainer.enabled", "true", "sparkTrainer.ratings", "s3a://bucket/ml-25m/ratings.csv", "sparkTrainer.promote", "production",
        "registry.mountPath", "/data/models", "sparkTrainer.extraArgs[0]", "--rank=64"));
    JsonNode app = chart.get("SparkApplication").path("spec");
    assertEquals("dev.recsys.spark.SparkTrainerMain", app.path("mainClass").asString());
    assertEquals("/data/models", volumeMount(app.path("driver"), "registry").path("mountPath").asString());
    assertEquals(claimOf(chart.get("Deployment").path("spec").path("template").path("spec")), claimOf(app));
    assertEquals(List.of("tmp"), names(app.path("executor").path("volumeMounts")), "executors never touch the registry");
    assertEquals("/tmp", volumeMount(app.path("driver"), "tmp").path("mountPath").asString(), "libtorch unpacks under a read-only root");

    List<String> args = strings(app.path("arguments"));
    CommandLine.ParseResult parsed = new CommandLine(new dev.recsys.spark.SparkTrainerMain()).parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult train = parsed.subcommand();
    assertEquals("train", train.commandSpec().name());
    assertEquals("/data/models", train.matchedOptionValue("--registry", java.nio.file.Path.of("")).toString());
    assertEquals("s3a://bucket/ml-25m/ratings.csv", train.matchedOptionValue("--ratings", ""));
    assertEquals("production", train.matchedOptionValue("--promote", ""));
    assertEquals(64, train.matchedOptionValue("--rank", 0).intValue());
  }

  @Test
  void sparkApplicationWithoutExactlyOneRatingsSourceIsRefusedAtRender() {
    for (Map<String, String> values : List.of(Map.of("sparkTrainer.enabled", "true"),
        Map.of("sparkTrainer.enabled", "true", "sparkTrainer.ratings", "s3a://b/r.csv", "sparkTrainer.parquet", "s3a://b/t"))) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> RenderedChart.render(values));
      assertTrue(e.getMessage().contains("exactly one of sparkTrainer.ratings"), e.getMessage());
    }
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path("name").asString()));
    return out;
  }

  private static JsonNode volumeMount(JsonNode container, String name) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (name.equals(m.path("name").asString())) {
        return m;
      }
    }
    throw new AssertionError("no volume mount " + name + " in " + container);
  }

  private static String claimOf(JsonNode podSpec) {
    for (JsonNode v : podSpec.path("volumes")) {
      if ("registry".equals(v.path("name").asString())) {
        return v.path("persistentVolumeClaim").path("claimName").asString();
      }
    }
    throw new AssertionError("no registry volume in " + podSpec);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  private static Map<String, String> ordered(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
