package dev.swinserve.server.testing;

import com.google.inject.Guice;
import com.google.inject.Injector;
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
    return started(config).getInstance(SwinserveServer.class);
  }

  /**
   * The injector of a server started with {@code config}, for tests that need more of it than the
   * server (the HTTP port: {@code getInstance(ManagedHttpServer.class).port()}).
   */
  public static Injector started(ServerConfig config) throws IOException {
    Injector injector =
        Guice.createInjector(
            new ServerModule(config), new GrpcModule(), new NettyTransportModule());
    injector.getInstance(SwinserveServer.class).start();
    return injector;
  }

  /** A plaintext channel to {@code server}'s gRPC port. */
  public static ManagedChannel channel(SwinserveServer server) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }
}
