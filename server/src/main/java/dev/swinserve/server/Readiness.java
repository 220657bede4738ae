package dev.swinserve.server;

import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.grpc.HealthReporter;
import dev.swinserve.server.http.ManagedHttpServer;
import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.security.HealthPortServer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Whether the server says it is ready, the last component to start and the first to stop. Starts
 * once the server listens (health NOT_SERVING meanwhile): loads and warms every model, then reports
 * SERVING and writes the port files (gRPC's, and HTTP's when it is on). Closing reports NOT_SERVING
 * at once but keeps the server answering every call for the drain delay, so load balancers that
 * poll health (or Kubernetes, which removes the pod from its endpoints) stop sending before the
 * listener closes.
 */
@Singleton
final class Readiness implements Managed {

  private final ManagedHttpServer http;
  private final ManagedGrpcServer server;
  private final ModelRegistry<ClassificationModel> registry;
  private final HealthReporter health;
  private final HealthPortServer healthPort;
  private final ServerConfig config;

  /**
   * @param http listening (if HTTP is on) before this starts, and until this has closed
   * @param server listening before this starts, and until this has closed
   * @param healthPort the health-only port, listening (if on) before this starts and until this has
   *     closed
   */
  @Inject
  Readiness(
      ManagedHttpServer http,
      ManagedGrpcServer server,
      ModelRegistry<ClassificationModel> registry,
      HealthReporter health,
      HealthPortServer healthPort,
      ServerConfig config) {
    this.http = http;
    this.healthPort = healthPort;
    this.server = server;
    this.registry = registry;
    this.health = health;
    this.config = config;
  }

  /** Once the port files exist, the server is ready. */
  @Override
  public void start() {
    registry.start();
    health.serverStarted();
    if (config.portFile().isPresent()) {
      writeAtomically(config.portFile().get(), Integer.toString(server.port()));
    }
    if (config.http().enabled() && config.http().portFile().isPresent()) {
      writeAtomically(config.http().portFile().get(), Integer.toString(http.port()));
    }
    if (config.healthPort().enabled() && config.healthPort().portFile().isPresent()) {
      writeAtomically(config.healthPort().portFile().get(), Integer.toString(healthPort.port()));
    }
  }

  @Override
  public void close() {
    health.shuttingDown();
    try {
      TimeUnit.MILLISECONDS.sleep(config.shutdownDrainDelay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server's close then cancels the calls at once
    }
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), ".port", ".tmp");
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      Files.move(
          temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write port file " + file, e);
    }
  }
}
