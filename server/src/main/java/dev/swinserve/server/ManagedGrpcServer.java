package dev.swinserve.server;

import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.grpc.ShutdownDrain;
import dev.swinserve.server.lifecycle.Managed;
import io.grpc.Server;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server as a component: starts listening; on close lets streams drain and closes the
 * listener, lets calls finish within the grace period; after it, streams end listing their
 * unanswered requests, and what is left is cancelled. Everything the calls use (registry,
 * scheduler, pools) is a dependency, so it is still running meanwhile.
 */
@Singleton
final class ManagedGrpcServer implements Managed {

  private static final System.Logger LOG = System.getLogger(ManagedGrpcServer.class.getName());
  private static final long ABORTED_STREAMS_WAIT_MILLIS = 1000;

  private final Server server;
  private final ShutdownDrain drain;
  private final ServerConfig config;

  @Inject
  ManagedGrpcServer(Server server, ShutdownDrain drain, ServerConfig config) {
    this.server = server;
    this.drain = drain;
    this.config = config;
  }

  @Override
  public void start() throws IOException {
    server.start();
  }

  /** The port listened on; see {@link Server#getPort()}. */
  int port() {
    return server.getPort();
  }

  void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Returns once every call ended; interrupted, cancels them at once. */
  @Override
  public void close() {
    try {
      drain.drainAll();
      server.shutdown();
      if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "grace period over; ending the streams and cancelling the calls still running");
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
  }
}
