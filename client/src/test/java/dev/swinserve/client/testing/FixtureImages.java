package dev.swinserve.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The reference images in the repository's {@code testdata/fixtures/images}, found by walking up
 * from the working directory so tests run from the module or the repository root alike.
 */
public final class FixtureImages {

  private static final Path IMAGES = locate().resolve("images");

  private FixtureImages() {}

  /** {@code testdata/fixtures/images/<name>}. */
  public static Path image(String name) {
    return IMAGES.resolve(name);
  }

  /** Copies the named images into {@code folder} (created if needed) and returns the folder. */
  public static Path copy(Path folder, String... names) throws IOException {
    Files.createDirectories(folder);
    for (String name : names) {
      Files.copy(image(name), folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return folder;
  }

  private static Path locate() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path candidate = directory.resolve("testdata").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      directory = directory.getParent();
    }
    throw new IllegalStateException(
        "testdata/fixtures not found above " + Path.of("").toAbsolutePath());
  }
}
