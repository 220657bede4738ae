package dev.swinserve.bench.perfanalyzer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Triton's {@code perf_analyzer} binary: the one {@value #ENVIRONMENT} names, or else one that
 * {@code benchmarks/perf-analyzer/setup.sh} installs (once) into a folder of the benchmark's work.
 */
final class PerfAnalyzerTool {

  /** Names a {@code perf_analyzer} to run instead of installing one. */
  static final String ENVIRONMENT = "SWINSERVE_PERF_ANALYZER";

  static final Path SETUP_SCRIPT = Path.of("benchmarks", "perf-analyzer", "setup.sh");

  /** Downloads two wheels and one Debian package the first time; checks the binary after. */
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(15);

  private final Path executable;

  PerfAnalyzerTool(Path executable) {
    this.executable = executable;
  }

  /**
   * What a run printed and how it ended.
   *
   * @param exitCode the process's; -1 if it was stopped for running past its time
   */
  record Result(int exitCode, String output) {

    boolean succeeded() {
      return exitCode == 0;
    }

    /** The last lines of the output, where {@code perf_analyzer} says what went wrong. */
    String tail() {
      List<String> lines = output.strip().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }
  }

  /**
   * The binary {@value #ENVIRONMENT} names, or the one setup.sh installs into {@code folder} (its
   * log is {@code folder/setup.log}).
   *
   * @throws IllegalStateException if setup.sh is not found or fails
   */
  static PerfAnalyzerTool locate(Path folder) throws IOException, InterruptedException {
    String named = System.getenv(ENVIRONMENT);
    if (named != null && !named.isBlank()) {
      return new PerfAnalyzerTool(Path.of(named));
    }
    Path script = findSetupScript();
    Files.createDirectories(folder);
    Path log = folder.resolve("setup.log");
    Result setup =
        execute(
            List.of("bash", script.toString(), folder.toAbsolutePath().toString()),
            log,
            SETUP_TIMEOUT);
    if (!setup.succeeded()) {
      throw new IllegalStateException(
          "installing perf_analyzer failed (see " + log + "):\n" + setup.tail());
    }
    return new PerfAnalyzerTool(folder.toAbsolutePath().resolve("perf_analyzer"));
  }

  /** What {@code perf_analyzer --version} says, on one line. */
  String version() throws IOException, InterruptedException {
    Path log = Files.createTempFile("perf-analyzer-version", ".log");
    try {
      Result result =
          execute(List.of(executable.toString(), "--version"), log, Duration.ofMinutes(1));
      return result.output().strip().replaceAll("\\s+", " ");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Runs {@code perf_analyzer arguments}, its output going to {@code log}; stops it after {@code
   * timeout}.
   */
  Result run(List<String> arguments, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(arguments);
    return execute(command, log, timeout);
  }

  private static Result execute(List<String> command, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    return ended
        ? new Result(process.exitValue(), output)
        : new Result(-1, output + "\nstopped after " + timeout.toSeconds() + " s");
  }

  private static Path findSetupScript() {
    for (Path directory = Path.of("").toAbsolutePath();
        directory != null;
        directory = directory.getParent()) {
      Path candidate = directory.resolve(SETUP_SCRIPT);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "run the benchmark from the repository ("
            + SETUP_SCRIPT
            + " not found), or set "
            + ENVIRONMENT
            + " to a perf_analyzer");
  }
}
