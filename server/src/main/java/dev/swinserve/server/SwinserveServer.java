package dev.swinserve.server;

import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.lifecycle.LifecycleManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;

/**
 * The running server's life, run by its {@link LifecycleManager}: every component starts after what
 * it depends on and stops before it. Starting, the server listens (health NOT_SERVING meanwhile),
 * loads and warms every model, then reports healthy ({@link Readiness}). Shutting down, it reports
 * unhealthy and keeps answering for the drain delay ({@link Readiness}); streams drain, the
 * listener closes, in-flight calls finish within the grace period ({@link ManagedGrpcServer}); then
 * the endpoints file stops being polled, shadows and schedulers stop, the registry unloads the
 * models, and the thread pools shut down.
 */
@Singleton
public final class SwinserveServer {

  private final LifecycleManager lifecycle;
  private final ManagedGrpcServer server;
  private final ServerConfig config;

  /**
   * @param readiness the last component, which depends on all the others: asking for it makes the
   *     injector create (and so register) every component before {@link #start()}
   */
  @Inject
  SwinserveServer(
      LifecycleManager lifecycle,
      Readiness readiness,
      ManagedGrpcServer server,
      ServerConfig config) {
    this.lifecycle = lifecycle;
    this.server = server;
    this.config = config;
  }

  /**
   * Listens, loads and warms every model, then reports SERVING and writes the port file: once the
   * port file exists, the server is ready. A failure stops what had started, then is thrown.
   */
  public void start() throws IOException {
    try {
      lifecycle.start();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw unchecked(e);
    }
  }

  public Duration shutdownGrace() {
    return config.shutdownGrace();
  }

  public Duration shutdownDrainDelay() {
    return config.shutdownDrainDelay();
  }

  public int port() {
    return server.port();
  }

  /**
   * Graceful shutdown; returns when everything is closed (see the class comment for the order).
   * Idempotent. A component that fails to close does not keep the others open: its failure is
   * thrown once all are closed.
   */
  public void shutdown() {
    try {
      lifecycle.stop();
    } catch (Exception e) {
      throw unchecked(e);
    }
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private static RuntimeException unchecked(Exception e) {
    return e instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException(e.getMessage(), e);
  }
}
