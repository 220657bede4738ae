package dev.swinserve.interop;

import dev.swinserve.bench.harness.ServerUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Everything the real clients' tests share, made once per test JVM and closed after the last test
 * ({@link InteropSessionExtension}): the Python environment (made while the server starts), the
 * {@link InteropRepository}, the {@link FixtureExpectations}, and {@code swinserve serve} on it as
 * its own process, gRPC and KServe's HTTP door each on port 0. Its files and logs stay in {@code
 * interop/target/interop}.
 */
final class InteropSession implements AutoCloseable {

  private final Path tests;
  private final Path work;
  private final PythonEnvironment python;
  private final ServerUnderTest server;
  private final Map<String, String> variables;

  private InteropSession(
      Path tests,
      Path work,
      PythonEnvironment python,
      ServerUnderTest server,
      Map<String, String> variables) {
    this.tests = tests;
    this.work = work;
    this.python = python;
    this.server = server;
    this.variables = variables;
  }

  static InteropSession start() throws IOException, InterruptedException {
    Path tests = Path.of(property("interop.python.tests"));
    Path venv = Path.of(property("interop.venv"));
    Path work = Path.of(property("interop.work"));
    Folders.deleteTree(work);
    Files.createDirectories(work);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<PythonEnvironment> python =
          background.submit(() -> PythonEnvironment.prepare(venv, tests));
      Path repository = InteropRepository.write(work.resolve("models"));
      Map<String, String> variables = new HashMap<>();
      variables.put(
          "SWINSERVE_INTEROP_FIXTURES",
          FixtureExpectations.write(work.resolve("expected")).toString());
      ServerUnderTest server =
          ServerUnderTest.start(repository, work.resolve("server"), "host: 127.0.0.1\n", true);
      try {
        variables.put("SWINSERVE_GRPC_TARGET", server.target());
        int httpPort =
            server
                .httpPort()
                .orElseThrow(() -> new IllegalStateException("the server opened no HTTP port"));
        variables.put("SWINSERVE_HTTP_URL", "127.0.0.1:" + httpPort);
        return new InteropSession(tests, work, awaitPython(python), server, Map.copyOf(variables));
      } catch (IOException | InterruptedException | RuntimeException e) {
        server.close();
        throw e;
      }
    } finally {
      background.shutdownNow();
    }
  }

  /**
   * The pytest cases of the files matching {@code glob} as JUnit tests; the run's report and output
   * are {@code <name>.xml} and {@code <name>.log} in the work folder.
   */
  Stream<DynamicTest> pytest(String glob, String name) throws IOException, InterruptedException {
    return PytestRun.run(python, tests, glob, variables, work, name);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static PythonEnvironment awaitPython(Future<PythonEnvironment> python)
      throws IOException, InterruptedException {
    try {
      return python.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + name + " is not set; run these tests with Maven (interop/pom.xml)");
    }
    return value;
  }
}
