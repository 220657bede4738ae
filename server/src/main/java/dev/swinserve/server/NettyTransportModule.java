package dev.swinserve.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.swinserve.server.config.ServerConfig;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Serves over TCP with Netty, with the configured port, message size limit and keepalive.
 * Classifier calls run on the transport's own threads (see {@link ClassifierOnTransportThreads}).
 */
public final class NettyTransportModule extends AbstractModule {

  @Provides
  ServerBuilder<?> serverBuilder(ServerConfig config) {
    return NettyServerBuilder.forAddress(new InetSocketAddress(config.port()))
        .maxInboundMessageSize(config.maxInboundMessageBytes())
        .keepAliveTime(config.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(config.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(config.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .callExecutor(new ClassifierOnTransportThreads());
  }
}
