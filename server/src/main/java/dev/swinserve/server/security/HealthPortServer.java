package dev.swinserve.server.security;

import dev.swinserve.server.config.HealthPortConfig;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.lifecycle.Managed;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The health-only port ({@link HealthPortConfig}): the same health statuses as the main port, in
 * plaintext, and nothing else, so probes that cannot speak TLS never see a service that matters.
 */
@Singleton
public final class HealthPortServer implements Managed {

  private final ServerConfig config;
  private final HealthStatusManager health;
  private Server server;

  @Inject
  HealthPortServer(ServerConfig config, HealthStatusManager health) {
    this.config = config;
    this.health = health;
  }

  @Override
  public void start() throws IOException {
    HealthPortConfig settings = config.healthPort();
    if (!settings.enabled()) {
      return;
    }
    String host = settings.host().or(config::host).orElse(null);
    InetSocketAddress address =
        host == null
            ? new InetSocketAddress(settings.port())
            : new InetSocketAddress(host, settings.port());
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "health_port.host '" + host + "' does not resolve to an address");
    }
    server =
        NettyServerBuilder.forAddress(address)
            .addService(health.getHealthService())
            .maxInboundMessageSize(4096)
            .build()
            .start();
  }

  /** The bound port; -1 when the health port is off or not started. */
  public int port() {
    return server == null ? HealthPortConfig.OFF : server.getPort();
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
