package dev.recsys.models.registry;

import dev.recsys.models.console.Messages;
import dev.recsys.models.io.AtomicFiles;
import dev.recsys.models.io.FileTrees;
import dev.recsys.models.io.SafeNames;
import dev.recsys.models.io.Sha256;
import dev.recsys.models.manifest.ArtifactFile;
import dev.recsys.models.manifest.Manifest;
import dev.recsys.models.manifest.ManifestCodec;
import dev.recsys.models.signing.ManifestSignature;
import dev.recsys.models.signing.SigningKey;
import dev.recsys.models.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A model registry rooted at one folder. See the package documentation for the layout and the
 * concurrency design. Instances are cheap and stateless apart from the root and the clock; all state
 * is in the filesystem, so any number of instances in any number of processes may share a root.
 */
public final class ModelRegistry {

  private static final String STAGING = ".staging";
  private static final String TRASH = ".trash";

  private final Path root;
  private final Clock clock;

  /**
   * @param root registry folder; created on first publish if missing
   * @param clock time source for creation times, alias history and lock staleness
   */
  public ModelRegistry(Path root, Clock clock) {
    this.root = root.toAbsolutePath().normalize();
    this.clock = clock;
  }

  public ModelRegistry(Path root) {
    this(root, Clock.systemUTC());
  }

  public Path root() {
    return root;
  }

  /** Model names present in the registry, sorted. */
  public List<String> models() throws IOException {
    List<String> models = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return models;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(".") && name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
          models.add(name);
        }
      }
    }
    models.sort(Comparator.naturalOrder());
    return models;
  }

  /** The folder of a model (it may not exist yet). */
  public Path modelDir(String model) {
    return root.resolve(SafeNames.requireModelName(model));
  }

  /** The folder of a version (it may not exist). */
  public Path versionDir(String model, long version) {
    if (version <= 0) {
      throw new IllegalArgumentException("version must be > 0, got " + version);
    }
    return modelDir(model).resolve(Long.toString(version));
  }

  /** Version numbers of the numbered folders of a model, ascending; partial ones included. */
  public List<Long> versionNumbers(String model) throws IOException {
    List<Long> numbers = new ArrayList<>();
    Path dir = modelDir(model);
    if (!Files.isDirectory(dir)) {
      return numbers;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.matches("[1-9][0-9]{0,17}")) {
          numbers.add(Long.parseLong(name));
        }
      }
    }
    numbers.sort(Comparator.naturalOrder());
    return numbers;
  }

  long highestVersionNumber(String model) throws IOException {
    List<Long> numbers = versionNumbers(model);
    return numbers.isEmpty() ? 0 : numbers.getLast();
  }

  /**
   * Every version of a model with its state, newest first. Only sizes are checked (cheap); use
   * {@link #verify} before loading.
   */
  public List<VersionCheck> versions(String model) throws IOException {
    List<VersionCheck> checks = new ArrayList<>();
    for (long v : versionNumbers(model).reversed()) {
      checks.add(VersionInspector.inspect(model, v, versionDir(model, v), false));
    }
    return checks;
  }

  /** Full check of one version, hashing every file. A missing version is reported, not thrown. */
  public VersionCheck verify(String model, long version) {
    Path dir = versionDir(model, version);
    if (!Files.isSymbolicLink(dir) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new VersionCheck(version, dir, null, "version " + version + " does not exist", false);
    }
    return VersionInspector.inspect(model, version, dir, true);
  }

  /**
   * Copies a version's manifest-listed artifacts into the empty folder {@code into}, hashing each
   * file while it is read and comparing it with the manifest, so that whatever is then loaded from
   * the copy is exactly what was verified, whatever a writer of the registry does meanwhile (a
   * hash-then-reopen check leaves that gap). The version must pass the quick check first, which
   * also refuses anything in its folder that the manifest does not list. The returned check's
   * folder is {@code into}; a bad version is reported, not thrown.
   */
  public VersionCheck verifiedCopy(String model, long version, Path into) {
    return verifiedCopy(model, version, into, null);
  }

  /**
   * As {@link #verifiedCopy(String, long, Path)}; with {@code trusted} keys, the version must also
   * carry a signature by one of them over the exact manifest bytes whose file list is then copied
   * and hashed (an unsigned version, or one signed by another key, is refused naming the key).
   */
  public VersionCheck verifiedCopy(String model, long version, Path into, TrustedKeys trusted) {
    Path dir = versionDir(model, version);
    if (!Files.isSymbolicLink(dir) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new VersionCheck(version, dir, null, "version " + version + " does not exist", false);
    }
    VersionCheck quick = VersionInspector.inspect(model, version, dir, false);
    if (!quick.valid()) {
      return quick;
    }
    try {
      // The manifest is read once more, as bytes: those bytes are what the signature is checked
      // against and what the copy follows, so nothing read afterwards can differ from what was signed.
      byte[] manifestBytes = ManifestCodec.readBytes(dir.resolve(Manifest.FILE_NAME));
      Manifest manifest = ManifestCodec.parse(manifestBytes);
      if (!manifest.modelName().equals(model) || manifest.version() != version) {
        return new VersionCheck(version, dir, quick.manifest(), "manifest changed while the version was being loaded", false);
      }
      if (trusted != null) {
        Path signatureFile = dir.resolve(ManifestSignature.FILE_NAME);
        if (!Files.isRegularFile(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
          return new VersionCheck(version, dir, manifest, "unsigned, and only versions signed by a trusted key are loaded (trusted: "
              + String.join(", ", trusted.ids()) + ")", false);
        }
        String problem = trusted.problem(manifestBytes, ManifestSignature.read(signatureFile));
        if (problem != null) {
          return new VersionCheck(version, dir, manifest, problem, false);
        }
      }
      quick = new VersionCheck(version, dir, manifest, null, false);
      for (ArtifactFile file : quick.manifest().files()) {
        Path source = SafeNames.resolveInside(dir, file.name());
        Path target = SafeNames.resolveInside(into, file.name());
        Files.createDirectories(target.getParent());
        java.security.MessageDigest digest = Sha256.newDigest();
        long copied = 0;
        try (java.io.InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
            java.io.OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            copied += n;
            if (copied > file.sizeBytes()) {
              return new VersionCheck(version, dir, quick.manifest(), file.name() + " grew while it was read", false);
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
          }
        }
        if (copied != file.sizeBytes() || !Sha256.hex(digest.digest()).equals(file.sha256())) {
          return new VersionCheck(version, dir, quick.manifest(), "checksum mismatch in " + file.name(), false);
        }
      }
    } catch (IOException | RuntimeException e) {
      return new VersionCheck(version, dir, quick.manifest(), "unreadable while copying: " + Messages.describe(e),
          false);
    }
    return new VersionCheck(version, into, quick.manifest(), null, true);
  }

  /** Work done on a private verified copy before it is deleted. */
  @FunctionalInterface
  public interface CopyUse<T, E extends Exception> {
    T use(VersionCheck check) throws E;
  }

  /**
   * Makes a {@link #verifiedCopy} in a fresh private temporary folder (readable by its owner only),
   * hands its check (valid or not) to {@code use}, then deletes the copy; a copy that cannot be
   * deleted is logged, not thrown. What the server loads and what {@code registry verify} checks
   * both go through here.
   *
   * @throws IOException when no temporary folder can be made
   */
  public <T, E extends Exception> T withVerifiedCopy(String model, long version, TrustedKeys trusted, CopyUse<T, E> use)
      throws E, IOException {
    Path copy = Files.createTempDirectory("recsys-" + model + "-v" + version + "-");
    try {
      return use.use(verifiedCopy(model, version, copy, trusted));
    } finally {
      try {
        FileTrees.deleteRecursively(copy);
      } catch (IOException e) {
        System.getLogger(ModelRegistry.class.getName()).log(System.Logger.Level.WARNING,
            "could not delete the private copy " + copy + ": " + Messages.describe(e));
      }
    }
  }

  /**
   * Signs an already published version (after a key rotation, or to sign versions published before
   * signing was turned on): its files are hashed against the manifest first, then the signature of
   * the manifest's exact bytes replaces any earlier one, atomically. The version's files do not
   * change.
   *
   * @throws RegistryException when the version is missing or fails its checks
   */
  public ManifestSignature sign(String model, long version, SigningKey signer) throws IOException {
    Path dir = versionDir(model, version);
    Path manifestFile = dir.resolve(Manifest.FILE_NAME);
    byte[] manifestBytes = Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS) ? ManifestCodec.readBytes(manifestFile) : null;
    VersionCheck check = verify(model, version);
    if (!check.valid()) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION, "version " + version + " not signed: " + check.problem());
    }
    // What is signed must be the manifest the files were just checked against.
    if (manifestBytes == null || !java.util.Arrays.equals(manifestBytes, ManifestCodec.readBytes(manifestFile))) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION, "version " + version + " changed while it was being signed");
    }
    ManifestSignature signature = signer.sign(manifestBytes);
    // Written in the model's staging folder and renamed in: a temporary file beside the manifest
    // would make the version unlisted-file-invalid while it exists (and for good after a crash).
    Path staging = notALink(modelDir(model).resolve(STAGING));
    Files.createDirectories(staging);
    byte[] bytes = signature.toBytes();
    AtomicFiles.write(dir.resolve(ManifestSignature.FILE_NAME), staging, out -> out.write(bytes));
    return signature;
  }

  /** The newest version that passes the quick check, if any. */
  public Optional<VersionCheck> latestValid(String model) throws IOException {
    return versions(model).stream().filter(VersionCheck::valid).findFirst();
  }

  /**
   * A registry folder of its own ({@code .staging}, {@code .trash}) that is not a symbolic link: one
   * pointing elsewhere (another model's versions) would have retention delete what it points at.
   */
  private static Path notALink(Path folder) throws RegistryException {
    if (Files.isSymbolicLink(folder)) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION,
          folder + " is a symbolic link; the registry's own folders must be real folders (nothing under a link is written or deleted)");
    }
    return folder;
  }

  /** Starts writing a new version in a private staging folder. */
  public StagedVersion stage(String model) throws IOException {
    Path staging = notALink(modelDir(model).resolve(STAGING)).resolve(UUID.randomUUID().toString());
    Files.createDirectories(staging);
    return new StagedVersion(this, model, staging, clock);
  }

  // ---------------------------------------------------------------------------------------- aliases

  /** The alias, if set. Reads without locking; safe against concurrent writers. */
  public Optional<Alias> alias(String model, String alias) throws IOException {
    return aliasStore(model).read(alias);
  }

  /** All aliases of a model, by name. */
  public List<Alias> aliases(String model) throws IOException {
    return aliasStore(model).readAll();
  }

  /** Alias changes of a model, oldest first. */
  public List<AliasEvent> history(String model) throws IOException {
    return aliasStore(model).history();
  }

  /**
   * Points an alias at a version after verifying every checksum of that version.
   *
   * @param weight share of users for a canary, in (0, 1]; forced to 1 for production
   * @param actor who asks (recorded in the history), e.g. {@code "ops@host"}
   * @return the recorded event (its {@code fromVersion} is the version replaced)
   */
  public AliasEvent promote(
      String model, String alias, long version, double weight, String actor, String reason)
      throws IOException {
    SafeNames.requireAliasName(alias);
    double effectiveWeight = Alias.PRODUCTION.equals(alias) ? 1.0 : weight;
    if (!(effectiveWeight > 0 && effectiveWeight <= 1)) {
      throw new RegistryException(
          RegistryException.Kind.INVALID_ARGUMENT,
          "weight of alias '" + alias + "' must be in (0, 1], got " + weight);
    }
    requireValid(model, version);
    return aliasStore(model)
        .change(
            alias,
            actor,
            (current, history) -> {
              // Hashed above, outside the lock (it can take seconds); still there under the lock,
              // so a retention run cannot have deleted it in between.
              requireStillThere(model, version);
              return new AliasEvent(
                  clock.instant(),
                  actor,
                  alias,
                  AliasEvent.PROMOTE,
                  current.map(Alias::version).orElse(0L),
                  version,
                  effectiveWeight,
                  reason);
            });
  }

  /** The quick check (manifest, files present with their sizes) of a version, under the alias lock. */
  private void requireStillThere(String model, long version) throws RegistryException {
    VersionCheck quick = VersionInspector.inspect(model, version, versionDir(model, version), false);
    if (!quick.valid()) {
      throw new RegistryException(RegistryException.Kind.FAILED_PRECONDITION,
          "version " + version + " changed while the alias was being moved: " + quick.problem());
    }
  }

  /**
   * Moves an alias back to the version it pointed at before its latest promotion (skipping versions
   * that have become invalid or were deleted), or to {@code toVersion} when given.
   */
  public AliasEvent rollback(String model, String alias, Long toVersion, String actor, String reason)
      throws IOException {
    if (toVersion != null) {
      requireValid(model, toVersion);
    }
    return aliasStore(model)
        .change(
            alias,
            actor,
            (current, history) -> {
              Alias now = requireSet(current, model, alias);
              long target = toVersion != null ? toVersion : previousValid(model, alias, history);
              requireStillThere(model, target);
              return new AliasEvent(
                  clock.instant(), actor, alias, AliasEvent.ROLLBACK, now.version(), target,
                  now.weight(), reason);
            });
  }

  private long previousValid(String model, String alias, List<AliasEvent> history)
      throws RegistryException {
    Deque<Long> stack = AliasStore.rollbackStack(alias, history);
    for (long candidate : stack) {
      if (verify(model, candidate).valid()) {
        return candidate;
      }
    }
    throw new RegistryException(
        RegistryException.Kind.FAILED_PRECONDITION,
        "alias '" + alias + "' has no earlier valid version to roll back to");
  }

  /** Removes an alias; removing production is refused (servers would have nothing to serve). */
  public AliasEvent removeAlias(String model, String alias, String actor, String reason)
      throws IOException {
    if (Alias.PRODUCTION.equals(alias)) {
      throw new RegistryException(
          RegistryException.Kind.FAILED_PRECONDITION,
          "the production alias cannot be removed; promote or roll back instead");
    }
    return aliasStore(model)
        .change(
            alias,
            actor,
            (current, history) -> {
              Alias now = requireSet(current, model, alias);
              return new AliasEvent(
                  clock.instant(), actor, alias, AliasEvent.REMOVE, now.version(), 0, 0, reason);
            });
  }

  /** The alias as it is now; NOT_FOUND when it is not set (rolling back or removing it needs one). */
  private static Alias requireSet(Optional<Alias> current, String model, String alias) throws RegistryException {
    return current.orElseThrow(
        () ->
            new RegistryException(
                RegistryException.Kind.NOT_FOUND,
                "alias '" + alias + "' of model '" + model + "' is not set"));
  }

  private void requireValid(String model, long version) throws RegistryException {
    VersionCheck check = verify(model, version);
    if (!check.valid()) {
      RegistryException.Kind kind =
          Files.isDirectory(check.dir())
              ? RegistryException.Kind.FAILED_PRECONDITION
              : RegistryException.Kind.NOT_FOUND;
      throw new RegistryException(
          kind, "version " + version + " of model '" + model + "' cannot be used: " + check.problem());
    }
  }

  private AliasStore aliasStore(String model) {
    return new AliasStore(modelDir(model), clock);
  }

  // -------------------------------------------------------------------------------------- retention

  /** Youngest a staging folder may be and count as abandoned: a live publication's is minutes old. */
  public static final Duration MIN_STALE_STAGING = Duration.ofHours(1);

  /** Oldest staleness a retention run accepts (ten years). */
  public static final Duration MAX_STALE_STAGING = Duration.ofHours(24 * 3650);

  /** What a retention run removed. */
  public record RetentionResult(List<Long> deletedVersions, int deletedStagingFolders) {}

  /**
   * Deletes all but the newest {@code keepLast} versions, never a version an alias points at, and
   * staging folders abandoned for longer than {@code staleStagingAfter} (a crashed trainer's).
   * Deletion first renames a version out of sight, so a reader never sees it half-deleted.
   */
  public RetentionResult retain(String model, int keepLast, Duration staleStagingAfter)
      throws IOException {
    if (keepLast < 1) {
      throw new RegistryException(
          RegistryException.Kind.INVALID_ARGUMENT, "keepLast must be >= 1, got " + keepLast);
    }
    // A live publication's staging folder is minutes old: an hour keeps a running trainer's files safe,
    // and ten years keeps the cutoff a representable instant.
    if (staleStagingAfter.compareTo(MIN_STALE_STAGING) < 0 || staleStagingAfter.compareTo(MAX_STALE_STAGING) > 0) {
      throw new RegistryException(RegistryException.Kind.INVALID_ARGUMENT, "the staging folders' staleness must be in ["
          + MIN_STALE_STAGING.toHours() + ", " + MAX_STALE_STAGING.toHours() + "] hours, got " + staleStagingAfter.toHours() + " hours");
    }
    Path trash = notALink(modelDir(model).resolve(TRASH));
    Path staging = notALink(modelDir(model).resolve(STAGING));
    // Under the alias lock, with the aliases read under it: an alias change waits for this run,
    // and this run never deletes a version an alias was moved to a moment ago.
    // Only the renames happen under the lock (each fenced by the lease); deleting the renamed
    // folders, slow on a network filesystem, happens after it is released.
    List<Path> moved = new ArrayList<>();
    List<Long> deleted = aliasStore(model).locked("retention", lease -> {
      Set<Long> aliased = new HashSet<>();
      for (Alias a : aliases(model)) {
        aliased.add(a.version());
      }
      List<Long> numbers = versionNumbers(model);
      List<Long> removed = new ArrayList<>();
      for (int i = 0; i < numbers.size() - keepLast; i++) {
        long v = numbers.get(i);
        if (aliased.contains(v)) {
          continue;
        }
        Files.createDirectories(trash);
        Path target = trash.resolve(v + "-" + UUID.randomUUID());
        lease.checkHeld();
        Files.move(versionDir(model, v), target, StandardCopyOption.ATOMIC_MOVE);
        moved.add(target);
        removed.add(v);
      }
      return removed;
    });
    for (Path folder : moved) {
      FileTrees.deleteRecursively(folder);
    }
    int staleStaging = 0;
    if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      Instant cutoff = clock.instant().minus(staleStagingAfter);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging)) {
        for (Path entry : entries) {
          if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
            FileTrees.deleteRecursively(entry);
            staleStaging++;
          }
        }
      }
    }
    if (!deleted.isEmpty()) {
      AtomicFiles.fsyncDirectory(modelDir(model));
    }
    return new RetentionResult(deleted, staleStaging);
  }
}
