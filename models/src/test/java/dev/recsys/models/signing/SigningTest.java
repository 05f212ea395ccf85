package dev.recsys.models.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.VersionCheck;
import dev.recsys.models.testing.TestVersions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningTest {

  @TempDir Path dir;
  SigningKey a;
  SigningKey b;

  @BeforeEach
  void keys() throws IOException {
    a = SigningKey.generate(dir.resolve("a.key"), dir.resolve("keys/a.pub").toAbsolutePath());
    b = SigningKey.generate(dir.resolve("b.key"), dir.resolve("b.pub"));
  }

  @Test
  void keysRoundTripThroughPem_andThePrivateKeyIsReadableByItsOwnerOnly() throws IOException {
    SigningKey back = SigningKey.read(dir.resolve("a.key"));
    assertEquals(a.keyId(), back.keyId(), "the public key (and its id) is derived from the private key");
    assertEquals(16, a.keyId().length());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.key"))));
    byte[] manifest = "{\"version\": 1}".getBytes(StandardCharsets.UTF_8);
    assertNull(TrustedKeys.read(dir.resolve("keys/a.pub")).problem(manifest, back.sign(manifest)));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> SigningKey.generate(dir.resolve("a.key"), dir.resolve("x.pub")));
  }

  @Test
  void aSignatureProvesTheExactBytesAndTheKey() throws IOException {
    TrustedKeys trusted = TrustedKeys.read(dir.resolve("keys/a.pub"));
    byte[] manifest = "{\"version\": 1, \"files\": []}".getBytes(StandardCharsets.UTF_8);
    ManifestSignature byA = a.sign(manifest);
    assertNull(trusted.problem(manifest, byA));
    byte[] changed = "{\"version\": 1, \"files\": [] }".getBytes(StandardCharsets.UTF_8);
    assertTrue(trusted.problem(changed, byA).contains("does not match the manifest"), trusted.problem(changed, byA));
    String other = trusted.problem(manifest, b.sign(manifest));
    assertTrue(other.contains("signed by key " + b.keyId() + ", which is not trusted (trusted: " + a.keyId() + ")"), other);
    // A signature claiming a trusted key's id but made by another key.
    ManifestSignature forged = new ManifestSignature(a.keyId(), ManifestSignature.ALGORITHM, b.sign(manifest).signature());
    assertTrue(trusted.problem(manifest, forged).contains("does not match"), trusted.problem(manifest, forged));
    ManifestSignature garbage = new ManifestSignature(a.keyId(), ManifestSignature.ALGORITHM, "not base64!");
    assertTrue(trusted.problem(manifest, garbage).contains("cannot be checked"), trusted.problem(manifest, garbage));
  }

  @Test
  void aFolderOfKeysTrustsEveryOne_forRotationWithoutAGap() throws IOException {
    Files.copy(dir.resolve("b.pub"), dir.resolve("keys/b.pem"));
    Files.writeString(dir.resolve("keys/README.txt"), "not a key file");
    TrustedKeys both = TrustedKeys.read(dir.resolve("keys"));
    assertEquals(List.of(a.keyId(), b.keyId()).stream().sorted().toList(), both.ids());
    byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
    assertNull(both.problem(manifest, a.sign(manifest)));
    assertNull(both.problem(manifest, b.sign(manifest)));
  }

  @Test
  void badKeyFilesAreRefusedNamingTheFile() throws IOException {
    Files.writeString(dir.resolve("empty.pub"), "nothing here");
    IOException none = assertThrows(IOException.class, () -> TrustedKeys.read(dir.resolve("empty.pub")));
    assertTrue(none.getMessage().contains("no Ed25519 PUBLIC KEY found in"), none.getMessage());
    IOException wrong = assertThrows(IOException.class, () -> SigningKey.read(dir.resolve("b.pub")));
    assertTrue(wrong.getMessage().contains("exactly one PEM PRIVATE KEY block, found 0"), wrong.getMessage());
    Files.writeString(dir.resolve("broken.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    IOException broken = assertThrows(IOException.class, () -> SigningKey.read(dir.resolve("broken.key")));
    assertTrue(broken.getMessage().contains("is not an Ed25519 private key"), broken.getMessage());
    Files.writeString(dir.resolve("bad.sig"), "{\"key_id\": \"x\"}");
    IOException sig = assertThrows(IOException.class, () -> ManifestSignature.read(dir.resolve("bad.sig")));
    assertTrue(sig.getMessage().contains("must name key_id, signature and algorithm Ed25519"), sig.getMessage());
  }

  @Test
  void aRegistryLoadsOnlyVersionsSignedByATrustedKey() throws IOException {
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    TestVersions.publish(registry, "movies", "signed by a", 0, a);
    TestVersions.publish(registry, "movies", "unsigned", 0, null);
    TestVersions.publish(registry, "movies", "signed by b", 0, b);
    TrustedKeys trusted = TrustedKeys.read(dir.resolve("keys/a.pub"));

    assertTrue(registry.verify("movies", 1).valid(), "the signature file is not an unlisted artifact");
    VersionCheck signed = registry.verifiedCopy("movies", 1, dir.resolve("copy1"), trusted);
    assertTrue(signed.valid(), signed.problem());
    VersionCheck unsigned = registry.verifiedCopy("movies", 2, dir.resolve("copy2"), trusted);
    assertFalse(unsigned.valid());
    assertTrue(unsigned.problem().contains("unsigned, and only versions signed by a trusted key are loaded (trusted: " + a.keyId()),
        unsigned.problem());
    VersionCheck other = registry.verifiedCopy("movies", 3, dir.resolve("copy3"), trusted);
    assertFalse(other.valid());
    assertTrue(other.problem().contains(b.keyId() + ", which is not trusted"), other.problem());
    // Without trusted keys every intact version loads, signed or not.
    assertTrue(registry.verifiedCopy("movies", 2, dir.resolve("copy4"), null).valid());

    // Editing a signed manifest (here: its recorded dataset name) breaks the signature.
    Path manifest = registry.versionDir("movies", 1).resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("synthetic", "synthetiK"));
    VersionCheck edited = registry.verifiedCopy("movies", 1, dir.resolve("copy5"), trusted);
    assertFalse(edited.valid());
    assertTrue(edited.problem().contains("does not match the manifest"), edited.problem());
  }

  /**
   * Re-signing a serving version (after a key rotation) must not make it invalid meanwhile: the
   * signature's temporary file was written beside the manifest, an unlisted file that readers refuse.
   */
  @Test
  void signingAVersion_leavesItValidThroughout_forReadersAtTheSameTime() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("registry"));
    TestVersions.publish(registry, "movies", "unsigned", 0, null);
    java.util.concurrent.atomic.AtomicBoolean signing = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader = Thread.ofPlatform().start(() -> {
      while (signing.get()) {
        VersionCheck check = registry.verify("movies", 1);
        if (!check.valid()) {
          problems.add(check.problem());
        }
      }
    });
    try {
      for (int i = 0; i < 200; i++) {
        registry.sign("movies", 1, i % 2 == 0 ? a : b);
      }
    } finally {
      signing.set(false);
      reader.join();
    }
    assertEquals(List.of(), problems.stream().distinct().toList());
    try (var left = Files.list(registry.versionDir("movies", 1))) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList());
    }
  }
}
