package dev.recsys.models.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Names that can be used as a single path element without escaping their folder, and checks that a
 * resolved path really stays inside its root (no {@code ..}, no absolute names, no symbolic link
 * leading out).
 */
public final class SafeNames {

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Pattern ALIAS_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private SafeNames() {}

  /** Requires a plain file name (letters, digits, {@code . _ -}, not starting with a dot). */
  public static String requireFileName(String name) {
    if (name == null || !FILE_NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "invalid file name '" + name + "': use letters, digits, '.', '_' and '-' (no path)");
    }
    return name;
  }

  /** Requires a registry model name: {@code [a-z0-9][a-z0-9._-]{0,62}}. */
  public static String requireModelName(String name) {
    if (name == null || !MODEL_NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "invalid model name '" + name + "': expected [a-z0-9][a-z0-9._-]{0,62}");
    }
    return name;
  }

  /** Requires an alias name: {@code [a-z][a-z0-9-]{0,31}}. */
  public static String requireAliasName(String name) {
    if (name == null || !ALIAS_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid alias name '" + name + "': expected [a-z][a-z0-9-]{0,31}");
    }
    return name;
  }

  /**
   * Resolves {@code name} inside {@code root} and checks that the real path (symbolic links
   * followed) is still inside the real root.
   *
   * @throws IOException if the path leaves the root or cannot be resolved
   */
  public static Path resolveInside(Path root, String name) throws IOException {
    requireFileName(name);
    Path candidate = root.resolve(name);
    if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
      Path real = candidate.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new IOException("'" + name + "' points outside " + root + " (to " + real + ")");
      }
    }
    return candidate;
  }
}
