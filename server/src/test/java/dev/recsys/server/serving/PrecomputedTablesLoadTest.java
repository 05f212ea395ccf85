package dev.recsys.server.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.bundle.Artifacts;
import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.bundle.PrecomputedTables;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.models.tensors.Tensor;
import dev.recsys.models.tensors.TensorFile;
import dev.recsys.server.testing.TrainedRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer publishes the load-time tables with a version and the loader takes them instead of
 * rebuilding them, but only after checking them: a missing, stale or tampered table is rebuilt, the
 * reason logged, and the version serves exactly what it would have with the table rebuilt.
 */
class PrecomputedTablesLoadTest {

  @TempDir static Path dir;
  static Path registry;
  static ModelBundle published;
  static PrecomputedTables rebuilt;

  @BeforeAll
  static void load() throws Exception {
    registry = TrainedRegistry.copyInto(dir.resolve("registry"));
    published = load(1);
    rebuilt = PrecomputedTables.compute(new PrecomputedTables.Sources(published.catalog(), published.ranking().toTables(), published.segmentation(),
        published.mf(), published.profiles()));
  }

  static ModelBundle load(long version) throws Exception {
    VersionCheck v = new ModelRegistry(registry).verify(TrainedRegistry.MODEL, version);
    assertTrue(v.valid(), v.problem());
    return ModelBundle.load(v.dir(), v.manifest(), true);
  }

  @Test
  void trainedVersion_carriesTablesThatPassEveryCheck_andEqualRebuiltOnes() {
    assertTrue(published.manifest().files().stream().anyMatch(f -> f.name().equals(Artifacts.PRECOMPUTED)));
    assertEquals(List.of(), published.rebuiltTables());
    assertSameTables(rebuilt, published.precomputed());
  }

  @Test
  void versionWithoutTables_rebuildsThem_andSearchesTitlesAlike() throws Exception {
    long old = TrainedRegistry.republish(registry, 1, Set.of(Artifacts.PRECOMPUTED), staged -> {});
    ModelBundle bundle = load(old);
    assertEquals(1, bundle.rebuiltTables().size());
    assertTrue(bundle.rebuiltTables().getFirst().contains("publishes no precomputed tables"), bundle.rebuiltTables().getFirst());
    assertSameTables(published.precomputed(), bundle.precomputed());
    for (String query : List.of("toy story", "star wars 1977", "godfathr")) {
      assertEquals(published.titles().search(query, 5), bundle.titles().search(query, 5), query);
    }
  }

  @Test
  void tamperedFoldInGram_isRebuilt_otherTablesTaken() throws Exception {
    ModelBundle bundle = load(tampered(t -> t.name().equals("fold_in_gram") ? scaledFirst(t) : t, Map.of()));
    assertEquals(1, bundle.rebuiltTables().size(), bundle.rebuiltTables().toString());
    assertTrue(bundle.rebuiltTables().getFirst().startsWith("fold-in Gram matrix rebuilt: it is not the ranking embeddings' Gram matrix"),
        bundle.rebuiltTables().getFirst());
    assertSameTables(rebuilt, bundle.precomputed());
  }

  @Test
  void segmentLabelOutsideTheCentroids_isRebuilt() throws Exception {
    int k = published.segmentation().users().k();
    ModelBundle bundle = load(tampered(t -> t.name().equals("user_segments") ? firstIntSetTo(t, k) : t, Map.of()));
    assertEquals(1, bundle.rebuiltTables().size(), bundle.rebuiltTables().toString());
    assertTrue(bundle.rebuiltTables().getFirst().contains("user 0 is labelled " + k + ", outside the " + k + " centroids"),
        bundle.rebuiltTables().getFirst());
    assertSameTables(rebuilt, bundle.precomputed());
  }

  @Test
  void titleKeysOfOtherRules_areRebuilt() throws Exception {
    ModelBundle bundle = load(tampered(Function.identity(), Map.of("title_key_format", "0")));
    assertEquals(1, bundle.rebuiltTables().size(), bundle.rebuiltTables().toString());
    assertTrue(bundle.rebuiltTables().getFirst().contains("made under title-key rules 0"), bundle.rebuiltTables().getFirst());
    assertSameTables(rebuilt, bundle.precomputed());
  }

  @Test
  void titleKeyOfASampledMovie_changed_isRebuilt() throws Exception {
    // The first movie is always sampled; its first key is renamed to one of the same length.
    ModelBundle bundle = load(tampered(t -> t.name().equals("title_key_bytes") ? firstByteChanged(t) : t, Map.of()));
    assertEquals(1, bundle.rebuiltTables().size(), bundle.rebuiltTables().toString());
    assertTrue(bundle.rebuiltTables().getFirst().startsWith("title keys rebuilt: movie 0's title keys"), bundle.rebuiltTables().getFirst());
    assertSameTables(rebuilt, bundle.precomputed());
  }

  /** A copy of version 1 whose precomputed tables went through {@code edit} and took {@code metadata}. */
  private static long tampered(Function<Tensor, Tensor> edit, Map<String, String> metadata) throws IOException {
    return TrainedRegistry.republish(registry, 1, staged -> {
      Path file = staged.resolve(Artifacts.PRECOMPUTED);
      TensorFile original = TensorFile.read(file);
      TensorFile.Writer w = new TensorFile.Writer();
      original.metadata().forEach(w::metadata);
      metadata.forEach(w::metadata);
      for (Tensor t : original.tensors().values()) {
        Tensor e = edit.apply(t);
        switch (e.dtype()) {
          case F64 -> w.doubles(e.name(), e.doubles(), e.shape());
          case I32 -> w.ints(e.name(), e.ints(), e.shape());
          case U8 -> w.u8(e.name(), e.u8(), e.shape());
          default -> throw new IllegalStateException("unexpected " + e.dtype());
        }
      }
      w.write(file);
    });
  }

  private static Tensor scaledFirst(Tensor t) {
    double[] g = t.doubles();
    g[0] *= 1.01;
    ByteBuffer b = ByteBuffer.allocate(g.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(g);
    return new Tensor(t.name(), t.dtype(), t.shape(), b);
  }

  private static Tensor firstIntSetTo(Tensor t, int value) {
    int[] v = t.ints();
    v[0] = value;
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(v);
    return new Tensor(t.name(), t.dtype(), t.shape(), b);
  }

  private static Tensor firstByteChanged(Tensor t) {
    byte[] v = t.u8();
    v[0] = (byte) (v[0] == 'q' ? 'z' : 'q');
    return new Tensor(t.name(), t.dtype(), t.shape(), ByteBuffer.wrap(v));
  }

  private static void assertSameTables(PrecomputedTables expected, PrecomputedTables actual) {
    assertArrayEquals(expected.titleKeys().keys().utf8(), actual.titleKeys().keys().utf8());
    assertArrayEquals(expected.titleKeys().keys().ends(), actual.titleKeys().keys().ends());
    assertArrayEquals(expected.titleKeys().movies(), actual.titleKeys().movies());
    assertArrayEquals(expected.assignments().userSegments(), actual.assignments().userSegments());
    assertArrayEquals(expected.assignments().movieClusters(), actual.assignments().movieClusters());
    assertArrayEquals(expected.foldInGram(), actual.foldInGram());
    assertArrayEquals(expected.implicitGram(), actual.implicitGram());
  }
}
