package dev.swinserve.interop;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code swinserve serve} as the conformance runners start it (clients/conformance/README.md): the
 * environment's script on the repository, 127.0.0.1, a port (0: any), ready once the port file
 * holds the port. The Java runner's counterpart of what each SDK's runner does in its own language.
 */
final class ConformanceServer implements AutoCloseable {

  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final Path log;

  private ConformanceServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a server on {@code port} (0: any free one) and waits until it serves. */
  static ConformanceServer start(ConformanceEnvironment environment, Path work, int port)
      throws IOException, InterruptedException {
    return start(environment, work, port, List.of());
  }

  /** {@link #start(ConformanceEnvironment, Path, int)} with {@code more} arguments. */
  static ConformanceServer start(
      ConformanceEnvironment environment, Path work, int port, List<String> more)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path portFile = Files.createTempFile(work, "port", ".txt");
    Files.delete(portFile);
    Path log = Files.createTempFile(work, "server", ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                environment.serve().toString(),
                "--model-repository",
                environment.repository().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--port-file",
                portFile.toString()));
    command.addAll(more);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await()
          .atMost(READY_WITHIN)
          .pollInterval(Duration.ofMillis(50))
          .failFast("swinserve serve ended before serving; see " + log, () -> !process.isAlive())
          .until(() -> Files.exists(portFile) && !Files.readString(portFile).isBlank());
    } catch (ConditionTimeoutException e) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(
          "swinserve serve did not serve within " + READY_WITHIN.toSeconds() + " s; see " + log, e);
    }
    return new ConformanceServer(
        process, Integer.parseInt(Files.readString(portFile).strip()), log);
  }

  int port() {
    return port;
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  Path log() {
    return log;
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
