package dev.recsys.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.EmbeddingArtifact;
import dev.recsys.models.embedding.EmbeddingTables;
import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.signing.SigningKey;
import dev.recsys.proto.v1.GetServingStatusRequest;
import dev.recsys.proto.v1.RecommendRequest;
import dev.recsys.proto.v1.ServingStatus;
import dev.recsys.server.config.ServerConfig;
import dev.recsys.server.testing.ServerFixture;
import dev.recsys.server.testing.TrainedRegistry;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of broken version the issue lists, promoted one after another into a running server
 * on a real port: each is refused with a reason that says what is wrong, version 1 keeps serving
 * throughout, health stays SERVING, and a good version promoted afterwards is loaded as usual.
 */
class ServerFaultsTest {

  @TempDir Path dir;

  /** A way to break a version, and words its refusal must contain. */
  private record Fault(String expected, Breaker breaker) {}

  @FunctionalInterface
  private interface Breaker {
    /** Creates the broken version from version 1; returns its number. */
    long create(Path registry) throws IOException;
  }

  private static long damageAfterPublishing(Path registry, TrainedRegistry.Edit damage) throws IOException {
    long v = TrainedRegistry.copyVersion(registry, 1);
    damage.apply(new ModelRegistry(registry).versionDir(TrainedRegistry.MODEL, v));
    return v;
  }

  /** Rewrites a version's data-only embedding model through {@code change}. */
  private static void rewriteEmbeddings(Path file, java.util.function.UnaryOperator<EmbeddingTables> change) throws IOException {
    EmbeddingTables tables = EmbeddingArtifact.read(file);
    Files.delete(file);
    EmbeddingArtifact.write(change.apply(tables), file);
  }

  private static EmbeddingTables withDim(EmbeddingTables t, int dim) {
    SplittableRandom r = new SplittableRandom(3);
    float[] users = new float[t.users() * dim];
    float[] items = new float[t.items() * dim];
    for (int i = 0; i < users.length; i++) {
      users[i] = (float) r.nextGaussian() * 0.1f;
    }
    for (int i = 0; i < items.length; i++) {
      items[i] = (float) r.nextGaussian() * 0.1f;
    }
    return new EmbeddingTables(t.users(), t.items(), dim, users, items, t.userBiases(), t.itemBiases(), t.globalBias());
  }

  private static EmbeddingTables withNaN(EmbeddingTables t) {
    float[] items = t.itemEmbeddings().clone();
    items[items.length / 3] = Float.NaN;
    return new EmbeddingTables(t.users(), t.items(), t.dim(), t.userEmbeddings(), items, t.userBiases(), t.itemBiases(), t.globalBias());
  }

  private static Map<String, Fault> faults() {
    Map<String, Fault> faults = new LinkedHashMap<>();
    // Republished after the damage, so the checksums agree and only the loader's own checks can refuse it.
    faults.put("truncated embedding data", new Fault("ranking.safetensors", registry -> TrainedRegistry.republish(registry, 1, d -> {
      byte[] b = Files.readAllBytes(d.resolve("ranking.safetensors"));
      Files.write(d.resolve("ranking.safetensors"), Arrays.copyOf(b, b.length / 2));
    })));
    // Hostile but self-consistent: every listed file intact, something else beside them that a
    // model loader might pick up (DJL scans a model folder for classes, jars and serving.properties,
    // and prefers a file named "ranking" over "ranking.pt").
    faults.put("extra compiled classes", new Fault("does not list: classes/", registry -> damageAfterPublishing(registry, d -> {
      Files.createDirectories(d.resolve("classes/evil"));
      Files.write(d.resolve("classes/evil/Payload.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
    })));
    faults.put("extra jar", new Fault("does not list: payload.jar", registry -> damageAfterPublishing(registry,
        d -> Files.write(d.resolve("payload.jar"), new byte[] {'P', 'K', 3, 4}))));
    faults.put("a file named like a model beside it", new Fault("does not list: ranking", registry -> damageAfterPublishing(registry,
        d -> Files.copy(d.resolve("ranking.pt"), d.resolve("ranking")))));
    faults.put("serving.properties", new Fault("does not list: serving.properties", registry -> damageAfterPublishing(registry,
        d -> Files.writeString(d.resolve("serving.properties"), "engine=PyTorch\noption.modelName=evil\n"))));
    faults.put("embeddings only as TorchScript (an older trainer)", new Fault("does not execute", registry -> TrainedRegistry.republish(
        registry, 1, java.util.Set.of("ranking.safetensors", "rating_mf.safetensors"), d -> {})));
    faults.put("checksum mismatch", new Fault("checksum mismatch in users.safetensors", registry -> damageAfterPublishing(registry, d -> {
      byte[] b = Files.readAllBytes(d.resolve("users.safetensors"));
      b[b.length - 3] ^= 0x21;
      Files.write(d.resolve("users.safetensors"), b);
    })));
    faults.put("missing file", new Fault("missing file segments.json",
        registry -> damageAfterPublishing(registry, d -> Files.delete(d.resolve("segments.json")))));
    faults.put("manifest of a future format", new Fault("format 99 is not supported", registry -> damageAfterPublishing(registry, d -> {
      Path m = d.resolve("manifest.json");
      String text = Files.readString(m);
      String future = text.replaceFirst("\"format_version\"\\s*:\\s*" + dev.recsys.models.manifest.Manifest.CURRENT_FORMAT, "\"format_version\" : 99");
      assertTrue(!future.equals(text), "the manifest names its format version");
      Files.writeString(m, future);
    })));
    faults.put("wrong embedding dimensions", new Fault("dimensions", registry -> TrainedRegistry.republish(registry, 1,
        d -> rewriteEmbeddings(d.resolve("rating_mf.safetensors"), t -> withDim(t, t.dim() + 3)))));
    faults.put("NaN in embeddings", new Fault("non-finite value: item embeddings", registry -> TrainedRegistry.republish(registry, 1,
        d -> rewriteEmbeddings(d.resolve("ranking.safetensors"), ServerFaultsTest::withNaN))));
    faults.put("alias to a missing version", new Fault("does not exist", registry -> 99));
    return faults;
  }

  @Test
  void torchScriptIsNeverExecuted_aVersionWhoseTorchScriptIsNotEvenTorchScriptStillServes() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    // Self-consistent (listed, checksums agree): if the server loaded TorchScript, this could be any code.
    long v = TrainedRegistry.republish(registry, 1, d -> {
      Files.write(d.resolve("ranking.pt"), "not TorchScript at all".getBytes(StandardCharsets.UTF_8));
      Files.write(d.resolve("rating_mf.pt"), new byte[] {'P', 'K', 3, 4, 0, 0});
    });
    try (ServerFixture f = ServerFixture.onPort(ServerFixture.config(registry, -1, false, 64), List.of()).awaitServing(1)) {
      pointProductionAt(registry, v);
      f.awaitServing(v);
      assertEquals(v, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(7).setK(5).build()).getServedBy().getVersion());
    }
  }

  @Test
  void withTrustedKeys_onlySignedVersionsLoad_andTwoTrustedKeysRotateWithoutAGap() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    SigningKey current = SigningKey.generate(dir.resolve("current.key"), dir.resolve("trusted/current.pub"));
    SigningKey next = SigningKey.generate(dir.resolve("next.key"), dir.resolve("next.pub"));
    long signed = TrainedRegistry.copySigned(registry, 1, current);
    long unsigned = TrainedRegistry.copyVersion(registry, 1);
    long byNext = TrainedRegistry.copySigned(registry, 1, next);
    pointProductionAt(registry, signed);
    ServerConfig config = ServerFixture.config(registry, -1, false, 64);
    try (ServerFixture f = ServerFixture.onPort(config.withSecurity(config.security().withTrustedKeys(dir.resolve("trusted"))), List.of())
        .awaitServing(signed)) {
      pointProductionAt(registry, unsigned);
      String reason = awaitFailure(f, unsigned);
      assertTrue(reason.contains("unsigned, and only versions signed by a trusted key are loaded (trusted: " + current.keyId() + ")"), reason);
      pointProductionAt(registry, byNext);
      reason = awaitFailure(f, byNext);
      assertTrue(reason.contains("signed by key " + next.keyId() + ", which is not trusted"), reason);
      assertEquals(signed, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(7).setK(5).build()).getServedBy().getVersion(),
          "the signed version keeps serving");
    }
    // Rotation: servers restarted trusting both keys load versions signed by either; the trainer then
    // switches to the new key, and the old key is dropped from the folder later.
    Files.copy(dir.resolve("next.pub"), dir.resolve("trusted/next.pub"));
    try (ServerFixture f = ServerFixture.onPort(config.withSecurity(config.security().withTrustedKeys(dir.resolve("trusted"))), List.of())
        .awaitServing(byNext)) {
      assertEquals(byNext, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(7).setK(5).build()).getServedBy().getVersion());
      pointProductionAt(registry, signed);
      f.awaitServing(signed);
    }
  }

  @Test
  void everyBrokenVersion_isRefusedWithItsReason_whileVersionOneKeepsServing() throws Exception {
    Path registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    Map<String, Fault> faults = faults();
    Map<String, Long> versions = new LinkedHashMap<>();
    for (var e : faults.entrySet()) {
      versions.put(e.getKey(), e.getValue().breaker().create(registry));
    }
    long good = TrainedRegistry.copyVersion(registry, 1);

    try (ServerFixture f = ServerFixture.onPort(ServerFixture.config(registry, -1, false, 64), List.of()).awaitServing(1)) {
      for (var e : faults.entrySet()) {
        long version = versions.get(e.getKey());
        // Point the alias at it as a tool that skips verification would (the admin API refuses most of these up front).
        pointProductionAt(registry, version);
        String reason = awaitFailure(f, version);
        assertTrue(reason.contains(e.getValue().expected()), e.getKey() + ": reason '" + reason + "' lacks '" + e.getValue().expected() + "'");

        ServingStatus status = f.admin().getServingStatus(GetServingStatusRequest.getDefaultInstance());
        assertTrue(status.getServing(), e.getKey());
        assertEquals(List.of(1L), status.getLoadedList().stream().map(l -> l.getVersion()).toList(), e.getKey());
        assertEquals(1, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(7).setK(5).build()).getServedBy().getVersion(),
            e.getKey() + ": version 1 answers");
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
            HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.getDefaultInstance()).getStatus(), e.getKey());
      }
      assertEquals(List.of(1L), List.copyOf(f.server.models().snapshot().models().keySet()), "no broken version stays loaded");

      pointProductionAt(registry, good);
      f.awaitServing(good);
      assertEquals(good, f.recommender().recommend(RecommendRequest.newBuilder().setUserId(7).setK(5).build()).getServedBy().getVersion());
    }
  }

  private static void pointProductionAt(Path registry, long version) throws IOException {
    AtomicFiles.write(registry.resolve(TrainedRegistry.MODEL + "/aliases/production.json"),
        ("{\"name\":\"production\",\"version\":" + version + ",\"weight\":1.0,\"updated_at\":\"2026-01-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static String awaitFailure(ServerFixture f, long version) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (var failure : f.server.models().failures()) {
        if (failure.version() == version) {
          return failure.reason();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("version " + version + " was neither loaded nor refused; failures " + f.server.models().failures());
  }
}
