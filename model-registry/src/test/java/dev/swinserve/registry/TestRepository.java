package dev.swinserve.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Builds a model repository on disk for a test. */
final class TestRepository {

  private final Path root;

  TestRepository(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Creates {@code <root>/<model>/<version>/} with a file in it, as the converter would. */
  Path addVersion(String model, long version) {
    return addDirectory(model + "/" + version);
  }

  Path addDirectory(String relative) {
    try {
      Path directory = Files.createDirectories(root.resolve(relative));
      Files.writeString(directory.resolve("saved_model.pb"), "fake");
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void removeVersion(String model, long version) {
    delete(root.resolve(model).resolve(Long.toString(version)));
  }

  void removeModel(String model) {
    delete(root.resolve(model));
  }

  /**
   * Replaces a version directory by a new one, staged under a hidden name and renamed into place.
   */
  void replaceVersion(String model, long version) {
    Path staging = addDirectory(model + "/.staging-" + version);
    removeVersion(model, version);
    try {
      Files.move(staging, root.resolve(model).resolve(Long.toString(version)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeConfig(String model, String yaml) {
    try {
      Files.createDirectories(root.resolve(model));
      Files.writeString(root.resolve(model).resolve("model.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path path) {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
