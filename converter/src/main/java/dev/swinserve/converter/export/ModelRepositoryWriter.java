package dev.swinserve.converter.export;

import dev.swinserve.converter.swinv2.GraphParameters;
import dev.swinserve.converter.swinv2.ParameterLayout;
import dev.swinserve.format.ModelVersionLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a model version into a TensorFlow Serving style repository, {@code <repository>/<name>/
 * <version>/}, laid out as {@link ModelVersionLayout} says, atomically: everything is written to a
 * hidden staging folder beside the version ({@code .staging-*}, which model servers skip) and
 * renamed into place only when complete, so a failed or interrupted export never leaves a
 * half-written version behind. Existing versions are never overwritten. A version can also be added
 * as a copy of another ({@link #copyVersion}), and any folder, a whole repository say, made in the
 * same all-or-nothing way ({@link #createAtomically}).
 */
public final class ModelRepositoryWriter {

  /** A model name is one path segment: letters, digits, '.', '_' and '-', not starting with '.'. */
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final String STAGING_PREFIX = ".staging-";

  private ModelRepositoryWriter() {}

  /**
   * @param version the version number, or empty for one more than the newest existing version
   * @return the version directory that now holds the SavedModel
   */
  public static Path write(Path repository, String name, OptionalLong version, ModelExport model) {
    validateName(name);
    ParameterLayout.of(model.config()).check(model.weights(), model.weightsSource());
    Path modelDirectory = repository.resolve(name);
    try {
      Files.createDirectories(modelDirectory);
      long number = version.isPresent() ? version.getAsLong() : nextVersion(modelDirectory);
      return createAtomically(
          newVersion(modelDirectory, name, number), directory -> writeVersion(directory, model));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write model '" + name + "' into " + repository + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds version {@code to} of model {@code name} as a copy of version {@code from}: the same files
   * (modification times included), not converted again, e.g. a canary that starts out as the stable
   * version. Atomic as {@link #write}; existing versions are never overwritten.
   *
   * @return the version directory of the copy
   */
  public static Path copyVersion(Path repository, String name, long from, long to) {
    validateName(name);
    Path modelDirectory = repository.resolve(name);
    Path source = modelDirectory.resolve(Long.toString(from));
    if (!Files.isDirectory(source)) {
      throw new IllegalArgumentException(
          "version " + from + " of model '" + name + "' does not exist at " + source);
    }
    try {
      return createAtomically(
          newVersion(modelDirectory, name, to), directory -> copyFiles(source, directory));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot copy version "
              + from
              + " of model '"
              + name
              + "' to version "
              + to
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Fills a folder; see {@link #createAtomically}. */
  @FunctionalInterface
  public interface FolderContents {
    void writeInto(Path folder) throws IOException;
  }

  /**
   * Makes the directory {@code target} all at once: {@code contents} fills a hidden staging folder
   * beside it ({@code .staging-<target's name>-*}), which is renamed to {@code target} once
   * complete and deleted otherwise. So {@code target} is absent or complete, even when the process
   * dies part-way (which leaves only the hidden staging folder; see {@link #deleteStaging}). An
   * empty {@code target} is replaced.
   *
   * @throws IllegalArgumentException if {@code target} exists, other than as an empty directory
   */
  public static Path createAtomically(Path target, FolderContents contents) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, stagingPrefix(target));
    try {
      makeReadable(staging);
      contents.writeInto(staging);
      moveIntoPlace(staging, target);
      return target;
    } finally {
      deleteRecursively(staging);
    }
  }

  /**
   * Deletes the staging folders that {@link #createAtomically} left beside {@code target} when its
   * process died. Only safe while nothing else is making {@code target}.
   */
  public static void deleteStaging(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      return;
    }
    String prefix = stagingPrefix(target);
    try (Stream<Path> children = Files.list(parent)) {
      for (Path child :
          children.filter(child -> child.getFileName().toString().startsWith(prefix)).toList()) {
        deleteRecursively(child);
      }
    }
  }

  public static void validateName(String name) {
    if (name == null || !MODEL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid model name '"
              + name
              + "': use letters, digits, '.',"
              + " '_' and '-' (at most 128, not starting with '.'), no path separators");
    }
  }

  private static void writeVersion(Path directory, ModelExport model) throws IOException {
    SavedModelWriter.write(
        model.config(), GraphParameters.prepare(model.config(), model.weights()), directory);
    Files.createDirectories(directory.resolve(ModelVersionLayout.ASSETS_DIRECTORY));
    Files.write(
        directory.resolve(ModelVersionLayout.LABELS_ASSET),
        model.config().labels(),
        StandardCharsets.UTF_8);
    model.preprocessing().write(directory.resolve(ModelVersionLayout.PREPROCESSING_ASSET));
    model.metadata().write(directory.resolve(ModelVersionLayout.METADATA_ASSET));
  }

  private static Path newVersion(Path modelDirectory, String name, long number) {
    if (number <= 0) {
      throw new IllegalArgumentException("version must be a positive integer, got " + number);
    }
    Path target = modelDirectory.resolve(Long.toString(number));
    if (Files.exists(target)) {
      throw new IllegalArgumentException(
          "version "
              + number
              + " of model '"
              + name
              + "' already exists at "
              + target
              + "; versions are immutable, choose another --version");
    }
    return target;
  }

  private static String stagingPrefix(Path target) {
    return STAGING_PREFIX + target.getFileName() + "-";
  }

  private static void copyFiles(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.skip(1).toList()) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(copy);
        } else {
          Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + target + " cannot rename atomically", e);
    } catch (IOException e) {
      // Linux says ENOTEMPTY for a folder that holds something, which Java leaves a plain
      // IOException.
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException(
            target + " exists (or appeared while it was being written);" + " it was left as it is",
            e);
      }
      throw e;
    }
  }

  /**
   * Temporary directories are private (0700); a served version must be readable by the server's
   * user.
   */
  private static void makeReadable(Path directory) throws IOException {
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static long nextVersion(Path modelDirectory) throws IOException {
    try (Stream<Path> children = Files.list(modelDirectory)) {
      return children
              .map(path -> path.getFileName().toString())
              .filter(child -> child.matches("[0-9]{1,18}"))
              .mapToLong(Long::parseLong)
              .max()
              .orElse(0)
          + 1;
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
