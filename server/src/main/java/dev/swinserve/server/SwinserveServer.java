package dev.swinserve.server;

import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.classify.ClassificationService;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.grpc.HealthReporter;
import dev.swinserve.server.grpc.ShutdownDrain;
import dev.swinserve.server.grpc.StreamSettings;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.scheduling.InferenceScheduler;
import io.grpc.Server;
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
 * The running server's life: start listening, load and warm the models, report healthy; on
 * shutdown report unhealthy, keep answering for the drain delay, let streams drain and in-flight
 * calls finish within the grace period, then unload the models.
 */
@Singleton
public final class SwinserveServer {

  private static final System.Logger LOG = System.getLogger(SwinserveServer.class.getName());
  private static final long ABORTED_STREAMS_WAIT_MILLIS = 1000;

  private final Server server;
  private final ModelRegistry<ClassificationModel> registry;
  private final HealthReporter health;
  private final ShutdownDrain drain;
  private final ClassificationService classification;
  private final InferenceScheduler scheduler;
  private final StreamSettings streams;
  private final ServerConfig config;
  private final EndpointsFileWatcher endpointsFile;

  @Inject
  SwinserveServer(Server server, ModelRegistry<ClassificationModel> registry, HealthReporter health,
      ShutdownDrain drain, ClassificationService classification, InferenceScheduler scheduler,
      StreamSettings streams, ServerConfig config, EndpointsFileWatcher endpointsFile) {
    this.server = server;
    this.registry = registry;
    this.health = health;
    this.drain = drain;
    this.classification = classification;
    this.scheduler = scheduler;
    this.streams = streams;
    this.config = config;
    this.endpointsFile = endpointsFile;
  }

  /**
   * Listens (health NOT_SERVING meanwhile), loads and warms every model, then reports SERVING and
   * writes the port file: once the port file exists, the server is ready.
   */
  public void start() throws IOException {
    endpointsFile.start();
    server.start();
    registry.start();
    health.serverStarted();
    if (config.portFile().isPresent()) {
      writeAtomically(config.portFile().get(), Integer.toString(port()));
    }
  }

  public java.time.Duration shutdownGrace() {
    return config.shutdownGrace();
  }

  public java.time.Duration shutdownDrainDelay() {
    return config.shutdownDrainDelay();
  }

  public int port() {
    return server.getPort();
  }

  /**
   * Graceful shutdown; returns when everything is closed. Health says NOT_SERVING at once, but for
   * the drain delay the server still accepts and answers every call, so load balancers that poll
   * health (or Kubernetes, which removes the pod from its endpoints) stop sending before the
   * listener closes. Then streams drain and the listener closes; calls may finish within the
   * grace period; after it, streams end listing their unanswered requests, and what is left is
   * cancelled.
   */
  public void shutdown() {
    health.shuttingDown();
    try {
      TimeUnit.MILLISECONDS.sleep(config.shutdownDrainDelay().toMillis());
      drain.drainAll();
      server.shutdown();
      if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "grace period over; ending the streams and cancelling the calls still running");
        drain.abortAll();
        // The aborted streams' statuses are on their way; a moment for them, then cut what is left.
        if (!server.awaitTermination(ABORTED_STREAMS_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          server.shutdownNow();
          server.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    endpointsFile.close();
    registry.close();
    classification.close();
    scheduler.close();
    streams.timers().shutdownNow();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), ".port", ".tmp");
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write port file " + file, e);
    }
  }
}
