package dev.swinserve.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The virtual environment the real clients run in, made from the pinned requirements beside the
 * tests: {@code requirements.txt}, then {@code requirements-no-deps.txt} installed without its
 * dependencies (tensorflow-serving-api requires the full {@code tensorflow} wheel; {@code
 * tensorflow-cpu} provides the same modules). A stamp file holds the requirements' hash, so an
 * environment is made once and reused until they change. Needs {@code python3} (3.10 or later, with
 * venv; {@code SWINSERVE_PYTHON} names another) and, the first time, the package index.
 */
final class PythonEnvironment {

  static final String REQUIREMENTS = "requirements.txt";
  static final String REQUIREMENTS_NO_DEPS = "requirements-no-deps.txt";
  private static final String STAMP = ".requirements-sha256";
  private static final long INSTALL_MINUTES = 20;

  private final Path directory;

  private PythonEnvironment(Path directory) {
    this.directory = directory;
  }

  /**
   * The environment at {@code directory} for the requirements in {@code tests}: reused if its stamp
   * matches them, otherwise made again from nothing.
   *
   * @throws IllegalStateException if Python or pip fails, with the end of their output
   */
  static PythonEnvironment prepare(Path directory, Path tests)
      throws IOException, InterruptedException {
    String hash = hash(tests.resolve(REQUIREMENTS), tests.resolve(REQUIREMENTS_NO_DEPS));
    Path stamp = directory.resolve(STAMP);
    PythonEnvironment environment = new PythonEnvironment(directory);
    if (Files.isExecutable(environment.python())
        && Files.exists(stamp)
        && Files.readString(stamp).strip().equals(hash)) {
      System.out.println("interop: reusing the virtual environment " + directory);
      return environment;
    }
    long start = System.nanoTime();
    Folders.deleteTree(directory);
    Files.createDirectories(directory.getParent());
    Path log = directory.resolveSibling(directory.getFileName() + "-install.log");
    Files.deleteIfExists(log);
    String python = System.getenv().getOrDefault("SWINSERVE_PYTHON", "python3");
    run(log, python, "-m", "venv", directory.toString());
    String pip = environment.python().toString();
    run(
        log,
        pip,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "-r",
        tests.resolve(REQUIREMENTS).toString());
    run(
        log,
        pip,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--no-deps",
        "-r",
        tests.resolve(REQUIREMENTS_NO_DEPS).toString());
    Files.writeString(stamp, hash + "\n");
    System.out.printf(
        "interop: made the virtual environment %s in %d s (log %s)%n",
        directory, Duration.ofNanos(System.nanoTime() - start).toSeconds(), log);
    return environment;
  }

  /** The environment's Python interpreter. */
  Path python() {
    return directory.resolve("bin").resolve("python");
  }

  private static void run(Path log, String... command) throws IOException, InterruptedException {
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run "
              + command[0]
              + " (Python 3.10+ with venv is needed; SWINSERVE_PYTHON"
              + " names another interpreter): "
              + e.getMessage(),
          e);
    }
    if (!process.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " ran past " + INSTALL_MINUTES + " minutes; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed with exit code "
              + process.exitValue()
              + "; the end of "
              + log
              + ":\n"
              + tail(Files.readString(log), 4_000));
    }
  }

  static String tail(String text, int characters) {
    return text.length() <= characters ? text : "..." + text.substring(text.length() - characters);
  }

  private static String hash(Path... files) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path file : files) {
      digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      digest.update(Files.readAllBytes(file));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
