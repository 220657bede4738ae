package dev.swinserve.converter.export;

import dev.swinserve.converter.swinv2.GraphParameters;
import dev.swinserve.converter.swinv2.ParameterLayout;
import dev.swinserve.format.ModelVersionLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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
 * half-written version behind. Existing versions are never overwritten.
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
      if (number <= 0) {
        throw new IllegalArgumentException("version must be a positive integer, got " + number);
      }
      Path target = modelDirectory.resolve(Long.toString(number));
      if (Files.exists(target)) {
        throw new IllegalArgumentException("version " + number + " of model '" + name
            + "' already exists at " + target + "; versions are immutable, choose another --version");
      }
      Path staging = Files.createTempDirectory(modelDirectory, STAGING_PREFIX + number + "-");
      try {
        makeReadable(staging);
        writeVersion(staging, model);
        moveIntoPlace(staging, target);
        return target;
      } finally {
        deleteRecursively(staging);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model '" + name + "' into " + repository + ": "
          + e.getMessage(), e);
    }
  }

  public static void validateName(String name) {
    if (name == null || !MODEL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid model name '" + name + "': use letters, digits, '.',"
          + " '_' and '-' (at most 128, not starting with '.'), no path separators");
    }
  }

  private static void writeVersion(Path directory, ModelExport model) throws IOException {
    SavedModelWriter.write(model.config(), GraphParameters.prepare(model.config(), model.weights()),
        directory);
    Files.createDirectories(directory.resolve(ModelVersionLayout.ASSETS_DIRECTORY));
    Files.write(directory.resolve(ModelVersionLayout.LABELS_ASSET), model.config().labels(), StandardCharsets.UTF_8);
    model.preprocessing().write(directory.resolve(ModelVersionLayout.PREPROCESSING_ASSET));
    model.metadata().write(directory.resolve(ModelVersionLayout.METADATA_ASSET));
  }

  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + target + " cannot rename atomically", e);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException("version directory " + target + " appeared while exporting;"
          + " versions are immutable, choose another --version", e);
    }
  }

  /** Temporary directories are private (0700); a served version must be readable by the server's user. */
  private static void makeReadable(Path directory) throws IOException {
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static long nextVersion(Path modelDirectory) throws IOException {
    try (Stream<Path> children = Files.list(modelDirectory)) {
      return children.map(path -> path.getFileName().toString())
          .filter(child -> child.matches("[0-9]{1,18}"))
          .mapToLong(Long::parseLong)
          .max()
          .orElse(0) + 1;
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
