package dev.swinserve.server.testing;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Provides;
import dev.swinserve.server.GrpcModule;
import dev.swinserve.server.ServerModule;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The production modules with only the transport swapped for an in-process one: everything from the
 * gRPC services to TensorFlow is real.
 */
public final class InProcessServer implements AutoCloseable {

  private final SwinserveServer server;
  private final ManagedChannel channel;

  private InProcessServer(SwinserveServer server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  public static InProcessServer start(ServerConfig config) throws IOException {
    String name = "swinserve-" + UUID.randomUUID();
    SwinserveServer server =
        Guice.createInjector(
                new ServerModule(config),
                new GrpcModule(),
                new AbstractModule() {
                  @Provides
                  ServerBuilder<?> transport() {
                    return InProcessServerBuilder.forName(name)
                        .maxInboundMessageSize(config.maxInboundMessageBytes());
                  }
                })
            .getInstance(SwinserveServer.class);
    server.start();
    return new InProcessServer(server, InProcessChannelBuilder.forName(name).build());
  }

  /** A server on {@code repository} with default settings but no background polling. */
  public static InProcessServer start(Path repository) throws IOException {
    return start(TestConfigs.withRepository(repository));
  }

  public ManagedChannel channel() {
    return channel;
  }

  public SwinserveServer server() {
    return server;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdown();
  }
}
