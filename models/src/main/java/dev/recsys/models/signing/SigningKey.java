package dev.recsys.models.signing;

import dev.recsys.models.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** An Ed25519 private key that signs manifests, with the id of its public key. */
public final class SigningKey {

  private final PrivateKey key;
  private final PublicKey publicKey;
  private final String keyId;

  private SigningKey(PrivateKey key, PublicKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
    this.keyId = KeyIds.of(publicKey);
  }

  /** Reads a PEM {@code PRIVATE KEY} (PKCS#8) Ed25519 key, as {@link #generate} or openssl writes it. */
  public static SigningKey read(Path file) throws IOException {
    List<byte[]> blocks = Pem.blocks(file, Pem.PRIVATE);
    if (blocks.size() != 1) {
      throw new IOException(file + " must hold exactly one PEM PRIVATE KEY block, found " + blocks.size());
    }
    try {
      PrivateKey key = KeyFactory.getInstance(ManifestSignature.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(blocks.getFirst()));
      return new SigningKey(key, publicOf(key));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + " is not an Ed25519 private key: " + dev.recsys.models.console.Messages.describe(e), e);
    }
  }

  /**
   * A new key pair, written as PEM: the private key to {@code privateFile} (owner read/write only)
   * and the public key to {@code publicFile}.
   */
  public static SigningKey generate(Path privateFile, Path publicFile) throws IOException {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance(ManifestSignature.ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("this JDK cannot make Ed25519 keys: " + e.getMessage(), e);
    }
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (file.toAbsolutePath().getParent() != null) {
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      }
    }
    if (java.nio.file.Files.exists(privateFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileAlreadyExistsException(privateFile.toString(), null, "a private key is never overwritten");
    }
    AtomicFiles.write(publicFile, Pem.encode(Pem.PUBLIC, pair.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII));
    byte[] secret = Pem.encode(Pem.PRIVATE, pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII);
    // Created readable by its owner only, before a byte of the key is in it.
    try {
      java.nio.file.Files.createFile(privateFile,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      java.nio.file.Files.createFile(privateFile);
    }
    java.nio.file.Files.write(privateFile, secret);
    return new SigningKey(pair.getPrivate(), pair.getPublic());
  }

  public String keyId() {
    return keyId;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The signature of {@code manifestBytes}, the exact bytes of the manifest file. */
  public ManifestSignature sign(byte[] manifestBytes) throws IOException {
    try {
      Signature s = Signature.getInstance(ManifestSignature.ALGORITHM);
      s.initSign(key);
      s.update(manifestBytes);
      return new ManifestSignature(keyId, ManifestSignature.ALGORITHM, Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IOException("signing failed: " + e.getMessage(), e);
    }
  }

  /** The public half of an Ed25519 private key (the JDK derives it through a one-message round trip). */
  private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
    // The JDK has no public API that derives the public key; PKCS#8 v2 may carry it, v1 does not.
    // Ed25519 public keys are derived by the KeyPairGenerator from a seed: use that seed.
    byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow(() -> new GeneralSecurityException("the private key hides its bytes"));
    KeyPairGenerator g = KeyPairGenerator.getInstance(ManifestSignature.ALGORITHM);
    g.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedRandom(seed));
    return g.generateKeyPair().getPublic();
  }

  /** Hands out one fixed seed: the key pair generator then rebuilds the pair of that private key. */
  private static final class FixedRandom extends java.security.SecureRandom {
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("expected a request for " + seed.length + " bytes, got " + bytes.length);
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
