package dev.swinserve.interop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * One pytest run over the test files matching a glob, its report turned into JUnit tests: one per
 * case, plus a failing one for a run that collected nothing or ended abnormally (exit code other
 * than 0, all passed, or 1, some failed).
 */
final class PytestRun {

  private static final long TIMEOUT_MINUTES = 10;

  private PytestRun() {}

  /**
   * Runs pytest in {@code environment} on the files of {@code tests} matching {@code glob}, with
   * {@code variables} added to its environment, writing its report and output as {@code <name>.xml}
   * and {@code <name>.log} in {@code work}.
   */
  static Stream<DynamicTest> run(
      PythonEnvironment environment,
      Path tests,
      String glob,
      Map<String, String> variables,
      Path work,
      String name)
      throws IOException, InterruptedException {
    List<String> files = new ArrayList<>();
    try (DirectoryStream<Path> matching = Files.newDirectoryStream(tests, glob)) {
      matching.forEach(file -> files.add(file.getFileName().toString()));
    }
    files.sort(null);
    Path report = work.resolve(name + ".xml");
    Path log = work.resolve(name + ".log");
    Files.deleteIfExists(report);
    List<String> command =
        new ArrayList<>(
            List.of(
                environment.python().toString(),
                "-m",
                "pytest",
                "--rootdir=" + tests,
                "-p",
                "no:cacheprovider",
                "-o",
                "junit_family=xunit1",
                "-o",
                "xfail_strict=true",
                "--junitxml=" + report,
                "-rA"));
    command.addAll(files);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(tests.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    builder.environment().putAll(variables);
    long start = System.nanoTime();
    Process process = builder.start();
    boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    System.out.printf(
        "interop: pytest %s (%s) took %d s; log %s%n",
        name,
        String.join(" ", files),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
        log);
    List<PytestCase> cases = Files.exists(report) ? PytestReport.read(report) : List.of();
    List<DynamicTest> dynamicTests = new ArrayList<>();
    cases.forEach(testCase -> dynamicTests.add(testCase.toDynamicTest()));
    String problem =
        !finished
            ? "pytest ran past " + TIMEOUT_MINUTES + " minutes"
            : files.isEmpty()
                ? "no test file in " + tests + " matches " + glob
                : cases.isEmpty()
                    ? "pytest collected no test from " + files
                    : process.exitValue() > 1
                        ? "pytest ended with exit code " + process.exitValue()
                        : null;
    if (problem != null) {
      String output = Files.exists(log) ? PythonEnvironment.tail(Files.readString(log), 6_000) : "";
      dynamicTests.add(
          DynamicTest.dynamicTest(
              "pytest " + name,
              () -> {
                throw new AssertionFailedError(problem + "; the end of " + log + ":\n" + output);
              }));
    }
    return dynamicTests.stream();
  }
}
