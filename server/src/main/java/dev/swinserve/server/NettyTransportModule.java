package dev.swinserve.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.swinserve.server.config.ConnectionsConfig;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.security.TransportSecurity;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Serves over TCP with Netty, on the configured address and port (every interface unless a host is
 * configured), with the configured message size limit and keepalive, in plaintext or TLS ({@link
 * TransportSecurity}). Classifier calls run on the transport's own threads (see {@link
 * ClassifierOnTransportThreads}).
 */
public final class NettyTransportModule extends AbstractModule {

  @Provides
  ServerBuilder<?> serverBuilder(ServerConfig config, TransportSecurity security) {
    ConnectionsConfig connections = config.connections();
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(listenAddress(config), security.grpc())
            .maxConcurrentCallsPerConnection(connections.maxConcurrentCalls());
    if (!connections.maxAge().isZero()) {
      builder
          .maxConnectionAge(connections.maxAge().toMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(connections.maxAgeGrace().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (!connections.maxIdle().isZero()) {
      builder.maxConnectionIdle(connections.maxIdle().toMillis(), TimeUnit.MILLISECONDS);
    }
    return builder
        .maxInboundMessageSize(config.maxInboundMessageBytes())
        .keepAliveTime(config.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(config.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(config.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .callExecutor(new ClassifierOnTransportThreads());
  }

  /**
   * The configured host and port, or the wildcard address (every interface) when no host is set.
   */
  static InetSocketAddress listenAddress(ServerConfig config) {
    if (config.host().isEmpty()) {
      return new InetSocketAddress(config.port());
    }
    InetSocketAddress address = new InetSocketAddress(config.host().get(), config.port());
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "host '" + config.host().get() + "' does not resolve to an address");
    }
    return address;
  }
}
