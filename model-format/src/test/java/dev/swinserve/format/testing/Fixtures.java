package dev.swinserve.format.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the reference fixtures copied into the repository's {@code testdata/fixtures} folder
 * (from the shared fixtures; see their README for provenance and tolerances), from any module's
 * tests.
 */
public final class Fixtures {

  private static final Path ROOT = locate();

  private Fixtures() {}

  /** {@code testdata/fixtures}. */
  public static Path root() {
    return ROOT;
  }

  /** {@code testdata/fixtures/swinv2/<name>}, a Hugging Face checkpoint folder. */
  public static Path checkpoint(String name) {
    return ROOT.resolve("swinv2").resolve(name);
  }

  /** {@code testdata/fixtures/images/<name>}. */
  public static Path image(String name) {
    return ROOT.resolve("images").resolve(name);
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
