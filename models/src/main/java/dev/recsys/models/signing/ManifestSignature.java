package dev.recsys.models.signing;

import dev.recsys.models.manifest.Json;
import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;

/**
 * The signature of one manifest, stored beside it as {@link #FILE_NAME}.
 *
 * @param keyId the signing key's id ({@link KeyIds#of})
 * @param algorithm always {@link #ALGORITHM}
 * @param signature the signature of the manifest file's exact bytes, base64
 */
public record ManifestSignature(String keyId, String algorithm, String signature) {

  /** File name beside {@code manifest.json}. */
  public static final String FILE_NAME = "manifest.sig";

  public static final String ALGORITHM = "Ed25519";

  /** Largest signature file read (a real one is about 150 bytes). */
  static final int MAX_BYTES = 16 * 1024;

  public byte[] toBytes() {
    return Json.MAPPER.writeValueAsBytes(this);
  }

  /** Reads a signature file; a malformed one is an {@link IOException} saying what is wrong. */
  public static ManifestSignature read(Path file) throws IOException {
    byte[] bytes = dev.recsys.models.io.BoundedFiles.read(file, MAX_BYTES, "manifest signature");
    ManifestSignature s;
    try {
      s = Json.MAPPER.readValue(bytes, ManifestSignature.class);
    } catch (JacksonException e) {
      throw new IOException(FILE_NAME + " is malformed: " + e.getOriginalMessage(), e);
    }
    if (s == null || s.keyId() == null || s.signature() == null || !ALGORITHM.equals(s.algorithm())) {
      throw new IOException(FILE_NAME + " must name key_id, signature and algorithm " + ALGORITHM);
    }
    return s;
  }
}
