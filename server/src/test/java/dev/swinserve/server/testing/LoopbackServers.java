package dev.swinserve.server.testing;

import com.google.inject.Guice;
import dev.swinserve.server.GrpcModule;
import dev.swinserve.server.NettyTransportModule;
import dev.swinserve.server.ServerModule;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;

/** The production modules on real Netty, on loopback: as {@code swinserve serve} runs them. */
public final class LoopbackServers {

  private LoopbackServers() {}

  /** Starts a server with {@code config}; give it host 127.0.0.1 and port 0. */
  public static SwinserveServer start(ServerConfig config) throws IOException {
    SwinserveServer server =
        Guice.createInjector(new ServerModule(config), new GrpcModule(), new NettyTransportModule())
            .getInstance(SwinserveServer.class);
    server.start();
    return server;
  }

  /** A plaintext channel to {@code server}'s gRPC port. */
  public static ManagedChannel channel(SwinserveServer server) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }
}
