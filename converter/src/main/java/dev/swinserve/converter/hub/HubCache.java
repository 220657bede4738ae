package dev.swinserve.converter.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The download cache, laid out like huggingface_hub's so it reads the same way:
 *
 * <pre>
 * {cache}/models--{owner}--{name}/
 *   blobs/{etag}                 verified content, named by its etag (sha256 for LFS files)
 *   blobs/{etag}.incomplete      a download in progress, resumed by the next attempt
 *   refs/{revision}              the commit the revision last resolved to (for offline use)
 *   snapshots/{commit}/{file}    the file as of that commit (a hard link to its blob)
 *   checkpoints/{revision}/      the checkpoint folder handed to the converter (revision %-escaped)
 * </pre>
 *
 * Keying blobs by etag means a file is fetched again exactly when its content changed, even if its
 * branch moved. Files appear in {@code blobs}, {@code snapshots} and {@code checkpoints} only by
 * atomic rename, so a reader never sees a partial file.
 *
 * <p>Not safe for two downloads of the same repository at once (threads or processes): they would
 * append to the same {@code .incomplete} file.
 */
final class HubCache {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private final Path root;

  HubCache(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Whether {@code revision} is a full commit hash, which never moves. */
  static boolean isCommit(String revision) {
    return COMMIT.matcher(revision).matches();
  }

  Path blob(String repository, String etag) {
    String name = SAFE_NAME.matcher(etag).matches() ? etag : sha256Hex(etag);
    return repositoryFolder(repository).resolve("blobs").resolve(name);
  }

  /** The checkpoint folder for {@code revision}; its files are placed with {@link #place}. */
  Path checkpointFolder(String repository, String revision) {
    return repositoryFolder(repository)
        .resolve("checkpoints")
        .resolve(HubUrls.encode(revision, false));
  }

  /** Remembers that {@code revision} resolved to {@code commit}, for later offline use. */
  void recordRevision(String repository, String revision, String commit) {
    if (revision.equals(commit)) {
      return;
    }
    Path reference = repositoryFolder(repository).resolve("refs").resolve(revision);
    try {
      Files.createDirectories(reference.getParent());
      Path temporary = temporarySibling(reference);
      Files.writeString(temporary, commit, StandardCharsets.UTF_8);
      moveIntoPlace(temporary, reference);
    } catch (IOException e) {
      throw failure("cannot record revision in " + reference, e);
    }
  }

  /**
   * The commit {@code revision} resolved to when last online, or the revision itself if a commit.
   */
  Optional<String> commitOf(String repository, String revision) {
    if (isCommit(revision)) {
      return Optional.of(revision);
    }
    Path reference = repositoryFolder(repository).resolve("refs").resolve(revision);
    try {
      return Files.isRegularFile(reference)
          ? Optional.of(Files.readString(reference, StandardCharsets.UTF_8).trim())
              .filter(commit -> SAFE_NAME.matcher(commit).matches())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Makes {@code blob} available as {@code file} of {@code commit}; returns that path. */
  Path addToSnapshot(String repository, String commit, String file, Path blob) {
    if (!SAFE_NAME.matcher(commit).matches()) {
      throw new HubException(
          HubException.Kind.OTHER, "the hub named an unusable commit: " + commit);
    }
    Path target = snapshotPath(repository, commit, file);
    place(blob, target);
    return target;
  }

  /** {@code file} as of the commit {@code revision} last resolved to, if it was downloaded then. */
  Optional<Path> snapshotFile(String repository, String revision, String file) {
    return commitOf(repository, revision)
        .map(commit -> snapshotPath(repository, commit, file))
        .filter(Files::isRegularFile);
  }

  /** Where {@code file} of {@code commit} is (or would be) kept. */
  Path snapshotPath(String repository, String commit, String file) {
    return repositoryFolder(repository).resolve("snapshots").resolve(commit).resolve(file);
  }

  /**
   * Puts a hard link to {@code source} (a copy where links are refused) at {@code target},
   * atomically.
   */
  void place(Path source, Path target) {
    try {
      Files.createDirectories(target.getParent());
      Path temporary = temporarySibling(target);
      try {
        Files.createLink(temporary, source);
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
      }
      moveIntoPlace(temporary, target);
    } catch (IOException e) {
      throw failure("cannot place " + source + " at " + target, e);
    }
  }

  /** Renames {@code source} onto {@code target}, replacing it, atomically where the disk allows. */
  static void moveIntoPlace(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path repositoryFolder(String repository) {
    return root.resolve("models--" + HubUrls.checkRepository(repository).replace("/", "--"));
  }

  private static Path temporarySibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  private static HubException failure(String message, IOException cause) {
    return new HubException(HubException.Kind.OTHER, message + ": " + cause, cause);
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static void deleteIfExists(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw failure("cannot delete " + path, e);
    }
  }
}
