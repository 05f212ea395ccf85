package dev.recsys.models.manifest;

import dev.recsys.models.io.SafeNames;
import dev.recsys.models.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads and writes {@code manifest.json}, and checks its structure. Reading never trusts the file:
 * a manifest that is not JSON, misses a required field, names a file outside its folder, or comes
 * from a newer format is rejected with a message saying which.
 */
public final class ManifestCodec {

  /** Manifests larger than this are refused before parsing (they are a few kB in practice). */
  static final int MAX_BYTES = 4 << 20;

  private ManifestCodec() {}

  /** Serialises a manifest to JSON bytes (UTF-8, indented). */
  public static byte[] toBytes(Manifest manifest) {
    return Json.MAPPER.writeValueAsBytes(manifest);
  }

  /** Reads and checks a manifest file. */
  public static Manifest read(Path file) throws IOException {
    return parse(readBytes(file));
  }

  /** A manifest file's bytes, refused above the size limit ({@link #parse} them to check them). */
  public static byte[] readBytes(Path file) throws IOException {
    try {
      return dev.recsys.models.io.BoundedFiles.read(file, MAX_BYTES, "manifest");
    } catch (java.nio.file.NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidManifestException(e.getMessage());
    }
  }

  /** Parses and checks manifest bytes. */
  public static Manifest parse(byte[] bytes) throws InvalidManifestException {
    if (bytes.length > MAX_BYTES) {
      throw new InvalidManifestException("manifest is over the " + MAX_BYTES + " byte limit");
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw new InvalidManifestException("manifest is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidManifestException("manifest is not a JSON object");
    }
    // The format is checked before binding, so a future format gets this message and not a
    // binding error about a field it renamed.
    JsonNode format = tree.get("format_version");
    if (format == null || !format.isIntegralNumber()) {
      throw new InvalidManifestException("manifest has no integer format_version");
    }
    if (!format.canConvertToInt()) {
      // Found by fuzzing: an integer too large for an int made asInt() throw instead of refusing.
      throw new InvalidManifestException("manifest format " + format + " is not supported (this build reads 1 to " + Manifest.CURRENT_FORMAT + ")");
    }
    int formatVersion = format.asInt();
    if (formatVersion < 1 || formatVersion > Manifest.CURRENT_FORMAT) {
      throw new InvalidManifestException(
          "manifest format "
              + formatVersion
              + " is not supported (this build reads 1 to "
              + Manifest.CURRENT_FORMAT
              + ")");
    }
    Manifest manifest;
    try {
      manifest = Json.MAPPER.treeToValue(tree, Manifest.class);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new InvalidManifestException("manifest fields are malformed: " + message(e), e);
    }
    check(manifest);
    return manifest;
  }

  /** Structural checks shared by reading and writing. */
  public static void check(Manifest m) throws InvalidManifestException {
    require(m.modelName() != null, "model_name is missing");
    try {
      SafeNames.requireModelName(m.modelName());
    } catch (IllegalArgumentException e) {
      throw new InvalidManifestException(e.getMessage());
    }
    require(m.version() > 0, "version must be > 0, got " + m.version());
    require(m.createdAt() != null, "created_at is missing");
    require(m.dataset() != null && m.dataset().name() != null, "dataset.name is missing");
    require(m.files() != null && !m.files().isEmpty(), "files is empty");
    Set<String> names = new HashSet<>();
    for (ArtifactFile f : m.files()) {
      require(f != null && f.name() != null, "a file entry has no name");
      try {
        SafeNames.requireFileName(f.name());
      } catch (IllegalArgumentException e) {
        throw new InvalidManifestException(e.getMessage());
      }
      require(!f.name().equals(Manifest.FILE_NAME), "files must not list the manifest itself");
      require(names.add(f.name()), "file '" + f.name() + "' is listed twice");
      require(f.sizeBytes() >= 0, "file '" + f.name() + "' has a negative size");
      require(Sha256.isHexDigest(f.sha256()), "file '" + f.name() + "' has no valid sha256");
      require(f.role() != null && !f.role().isBlank(), "file '" + f.name() + "' has no role");
    }
    requireFinite("hyper_parameters", m.hyperParameters());
    requireFinite("metrics", m.metrics());
    requireFinite("serving", m.serving());
  }

  /**
   * Numbers in the free-form sections must be finite: JSON has no NaN or infinity, so one that
   * slipped in (an overflowing literal such as 1e999, or a NaN metric) would be written back as a
   * string and read as something else.
   */
  private static void requireFinite(String path, JsonNode node) throws InvalidManifestException {
    if (node == null) {
      return;
    }
    if (node.isNumber()) {
      require(!(node.isFloatingPointNumber() && !Double.isFinite(node.asDouble())), path + " is not a finite number");
    } else if (node.isObject()) {
      for (var e : node.properties()) {
        requireFinite(path + "." + e.getKey(), e.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireFinite(path + "[" + i + "]", node.get(i));
      }
    }
  }

  private static void require(boolean condition, String message) throws InvalidManifestException {
    if (!condition) {
      throw new InvalidManifestException("manifest " + message);
    }
  }

  private static String message(Exception e) {
    return e instanceof JacksonException je ? je.getOriginalMessage() : String.valueOf(e.getMessage());
  }
}
