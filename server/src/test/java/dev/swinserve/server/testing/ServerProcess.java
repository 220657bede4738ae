package dev.swinserve.server.testing;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real server, as {@code swinserve serve} runs it ({@link ServeMain}), in its own JVM, usually
 * on port 0: the test reads the bound port from the port file, which the server writes once its
 * models are loaded and warm.
 */
public final class ServerProcess implements AutoCloseable {

  private static final long START_TIMEOUT_SECONDS = 120;

  private final Process process;
  private final Path log;
  private final String host;
  private final int port;

  private ServerProcess(Process process, Path log, String host, int port) {
    this.process = process;
    this.log = log;
    this.host = host;
    this.port = port;
  }

  /** Starts {@code serve --port 0} on {@code repository} with {@code config} (YAML) if given. */
  public static ServerProcess start(Path repository, Path workDirectory, String configYaml)
      throws IOException, InterruptedException {
    return start(repository, workDirectory, configYaml, null, 0);
  }

  /**
   * Starts {@code serve --port 0} on a new repository {@code workDirectory/models} holding the
   * {@link FixtureRepository#MINI} fixture as model {@code mini}, version 1.
   */
  public static ServerProcess startServingMini(Path workDirectory, String configYaml)
      throws IOException, InterruptedException {
    Path repository = workDirectory.resolve("models");
    FixtureRepository.add(repository, "mini", 1, FixtureRepository.MINI);
    return start(repository, workDirectory, configYaml);
  }

  /**
   * Starts {@code serve} listening on {@code host} (null: every interface) and {@code port} (0: any
   * free one). {@code workDirectory} receives the port file and the log: one per server.
   */
  public static ServerProcess start(
      Path repository, Path workDirectory, String configYaml, String host, int port)
      throws IOException, InterruptedException {
    Files.createDirectories(workDirectory);
    Path portFile = workDirectory.resolve("port");
    Path log = workDirectory.resolve("server.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                ServeMain.class.getName(),
                "--model-repository",
                repository.toString(),
                "--port",
                Integer.toString(port),
                "--port-file",
                portFile.toString()));
    if (host != null) {
      command.addAll(List.of("--host", host));
    }
    if (configYaml != null) {
      Path config = workDirectory.resolve("server.yaml");
      Files.writeString(config, configYaml);
      command.addAll(List.of("--config", config.toString()));
    }
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await()
          .atMost(Duration.ofSeconds(START_TIMEOUT_SECONDS))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (Files.exists(portFile)) {
                  return true;
                }
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "server exited with " + process.exitValue() + ":\n" + Files.readString(log));
                }
                return false;
              });
    } catch (ConditionTimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "server not ready after " + START_TIMEOUT_SECONDS + " s:\n" + Files.readString(log));
    }
    return new ServerProcess(
        process,
        log,
        host == null ? "127.0.0.1" : host,
        Integer.parseInt(Files.readString(portFile).trim()));
  }

  public int port() {
    return port;
  }

  /** A new channel to this server (its host, or 127.0.0.1 when it listens on every interface). */
  public ManagedChannel channel() {
    return NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
  }

  /**
   * Sends SIGKILL (a crash: no draining, connections drop) and waits for the process to be gone.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server still alive 30 s after SIGKILL");
    }
  }

  /** Sends SIGTERM and returns at once; {@link #terminate} then waits for the exit. */
  public void signalTerminate() {
    process.destroy();
  }

  /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("server did not exit within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
  }
}
