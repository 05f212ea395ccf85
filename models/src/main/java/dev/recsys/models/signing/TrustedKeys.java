package dev.recsys.models.signing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys a server accepts version signatures from. Several at once, so a new key can be
 * trusted before the trainer switches to it and the old one dropped after (rotation without a gap).
 */
public final class TrustedKeys {

  private final Map<String, PublicKey> keys;

  private TrustedKeys(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  /**
   * Reads every PEM {@code PUBLIC KEY} block of a file, or of every {@code *.pub} and {@code *.pem}
   * file of a folder (a Kubernetes ConfigMap mounts as one). At least one Ed25519 key is required.
   */
  public static TrustedKeys read(Path fileOrFolder) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrFolder)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(fileOrFolder, "*.{pub,pem}")) {
        entries.forEach(files::add);
      }
      files.sort(null);
    } else {
      files.add(fileOrFolder);
    }
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (Path file : files) {
      for (byte[] der : Pem.blocks(file, Pem.PUBLIC)) {
        try {
          PublicKey key = KeyFactory.getInstance(ManifestSignature.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
          keys.put(KeyIds.of(key), key);
        } catch (GeneralSecurityException e) {
          throw new IOException(file + " holds a public key that is not Ed25519: " + dev.recsys.models.console.Messages.describe(e), e);
        }
      }
    }
    if (keys.isEmpty()) {
      throw new IOException("no Ed25519 PUBLIC KEY found in " + fileOrFolder
          + (Files.isDirectory(fileOrFolder) ? " (files named *.pub or *.pem)" : ""));
    }
    return new TrustedKeys(keys);
  }

  /** The trusted keys' ids. */
  public List<String> ids() {
    return keys.keySet().stream().sorted().toList();
  }

  /**
   * Why {@code signature} does not prove that a trusted key signed {@code manifestBytes}, or null
   * when it does.
   */
  public String problem(byte[] manifestBytes, ManifestSignature signature) {
    PublicKey key = keys.get(signature.keyId());
    if (key == null) {
      return "signed by key " + signature.keyId() + ", which is not trusted (trusted: " + String.join(", ", ids()) + ")";
    }
    try {
      Signature s = Signature.getInstance(ManifestSignature.ALGORITHM);
      s.initVerify(key);
      s.update(manifestBytes);
      if (!s.verify(Base64.getDecoder().decode(signature.signature()))) {
        return "the signature by key " + signature.keyId() + " does not match the manifest";
      }
      return null;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "the signature by key " + signature.keyId() + " cannot be checked: " + dev.recsys.models.console.Messages.describe(e);
    }
  }
}
