package dev.swinserve.interop;

import dev.swinserve.bench.harness.ServerUnderTest;
import dev.swinserve.launcher.serve.ServeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import picocli.CommandLine;

/**
 * Everything the real clients' tests share, made once per test JVM and closed after the last test
 * ({@link InteropSessionExtension}): the Python environment (made while the server starts), the
 * {@link InteropRepository}, the {@link FixtureExpectations}, and {@code swinserve serve} on it as
 * its own process, gRPC on port 0 and, when the command has the option, KServe's HTTP port on port
 * 0 too. Its files and logs stay in {@code interop/target/interop}.
 */
final class InteropSession implements AutoCloseable {

  private static final String HTTP_PORT_FILE_OPTION = "--http-port-file";
  private static final long HTTP_PORT_WAIT_SECONDS = 30;

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
      Path serverWork = work.resolve("server");
      Path httpPortFile = serverWork.resolve("http-port");
      List<String> arguments = new ArrayList<>();
      if (servesHttp()) {
        arguments.addAll(
            List.of("--http-port", "0", HTTP_PORT_FILE_OPTION, httpPortFile.toString()));
      }
      ServerUnderTest server =
          ServerUnderTest.start(repository, serverWork, "host: 127.0.0.1\n", arguments);
      try {
        variables.put("SWINSERVE_GRPC_TARGET", server.target());
        if (!arguments.isEmpty()) {
          variables.put("SWINSERVE_HTTP_URL", "127.0.0.1:" + awaitPort(httpPortFile, server));
        }
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

  /** Whether {@code swinserve serve} has KServe's HTTP port (a front door built apart). */
  static boolean servesHttp() {
    return new CommandLine(new ServeCommand()).getCommandSpec().findOption(HTTP_PORT_FILE_OPTION)
        != null;
  }

  private static int awaitPort(Path portFile, ServerUnderTest server)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HTTP_PORT_WAIT_SECONDS);
    while (!Files.exists(portFile)) {
      if (!server.alive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the server wrote no HTTP port file " + portFile);
      }
      Thread.sleep(50);
    }
    return Integer.parseInt(Files.readString(portFile).strip());
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
