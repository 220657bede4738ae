package dev.swinserve.bench.harness;

import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.GetMetricsResponse;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** {@code swinserve serve} as its own process on port 0, as deployed: the thing being measured. */
public final class ServerUnderTest implements AutoCloseable {

  /**
   * The launcher's {@code serve}, the server as shipped. Named, not imported: the launcher sits
   * above this module and runs the benchmarks, so its classes are on the class path this JVM hands
   * on.
   */
  public static final String SERVE_COMMAND = "dev.swinserve.launcher.serve.ServeCommand";

  /** How long a server asked for an HTTP door gets to report its port after the gRPC one. */
  private static final long HTTP_PORT_WAIT_SECONDS = 30;

  private final Process process;
  private final ManagedChannel channel;
  private final int port;
  private final OptionalInt httpPort;

  private ServerUnderTest(Process process, int port, OptionalInt httpPort) {
    this.process = process;
    this.port = port;
    this.httpPort = httpPort;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /**
   * Starts {@code swinserve serve} on {@code repository} with {@code configYaml} as its
   * server.yaml, keeping its files and log in {@code work}; returns once it listens.
   */
  public static ServerUnderTest start(Path repository, Path work, String configYaml)
      throws IOException, InterruptedException {
    return start(repository, work, configYaml, false);
  }

  /**
   * As {@link #start(Path, Path, String)}; with {@code http}, also asks for the HTTP door on port 0
   * ({@code --http-port 0 --http-port-file}); its port is then {@link #httpPort()}.
   */
  public static ServerUnderTest start(Path repository, Path work, String configYaml, boolean http)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path portFile = work.resolve("port");
    Files.deleteIfExists(portFile);
    Path httpPortFile = work.resolve("http-port");
    Files.deleteIfExists(httpPortFile);
    Path config = work.resolve("server.yaml");
    Files.writeString(config, configYaml);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The JVM options ./swinserve serve uses, which the launcher exports: the server as shipped.
    String serverOptions = System.getenv().getOrDefault("SWINSERVE_SERVER_JAVA_OPTS", "").strip();
    if (!serverOptions.isEmpty()) {
      command.addAll(List.of(serverOptions.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            SERVE_COMMAND,
            "--model-repository",
            repository.toString(),
            "--port",
            "0",
            "--port-file",
            portFile.toString(),
            "--config",
            config.toString()));
    if (http) {
      command.addAll(List.of("--http-port", "0", "--http-port-file", httpPortFile.toString()));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("server.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(portFile)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not start; see " + work.resolve("server.log"));
      }
      Thread.sleep(50);
    }
    int port = readPort(portFile);
    OptionalInt httpPort = OptionalInt.empty();
    if (http) {
      long httpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HTTP_PORT_WAIT_SECONDS);
      while (!Files.exists(httpPortFile) && process.isAlive() && System.nanoTime() < httpDeadline) {
        Thread.sleep(50);
      }
      if (!Files.exists(httpPortFile)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "server opened no HTTP port; see " + work.resolve("server.log"));
      }
      httpPort = OptionalInt.of(readPort(httpPortFile));
    }
    return new ServerUnderTest(process, port, httpPort);
  }

  private static int readPort(Path file) throws IOException, InterruptedException {
    // A port file can be seen between its creation and its write: read it until it holds a line.
    String text = Files.readString(file).trim();
    for (int attempt = 0; text.isEmpty() && attempt < 100; attempt++) {
      Thread.sleep(10);
      text = Files.readString(file).trim();
    }
    return Integer.parseInt(text);
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** The server's resident set size in bytes, from /proc. */
  public long residentBytes() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + process.pid());
  }

  public GetMetricsResponse metrics(boolean reset) {
    return MetricsServiceGrpc.newBlockingStub(channel)
        .getMetrics(GetMetricsRequest.newBuilder().setReset(reset).build());
  }

  /** {@code 127.0.0.1:PORT}, the target a client connects to. */
  public String target() {
    return "127.0.0.1:" + port;
  }

  /**
   * The HTTP door's port, when the server was started with {@code http} and reported one within
   * {@value #HTTP_PORT_WAIT_SECONDS} s of its gRPC port; empty otherwise.
   */
  public OptionalInt httpPort() {
    return httpPort;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the server process is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The server's exit code; only once it is no longer {@link #alive()}. */
  public int exitCode() {
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
