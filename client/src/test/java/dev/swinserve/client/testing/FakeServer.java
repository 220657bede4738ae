package dev.swinserve.client.testing;

import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.SwinserveClient;
import dev.swinserve.client.resilience.BreakerListener;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-process server hosting a {@link FakeClassifier} and a {@link FakeModelService} under a
 * unique name; no ports, no network. Close it after each test.
 */
public final class FakeServer implements AutoCloseable {

  private final FakeClassifier classifier = new FakeClassifier();
  private final FakeModelService modelService = new FakeModelService();
  private final String name = InProcessServerBuilder.generateName();
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final boolean direct;
  private final Server server;

  public FakeServer() {
    this(false);
  }

  private FakeServer(boolean direct) {
    this.direct = direct;
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    if (direct) {
      builder.directExecutor();
    }
    try {
      server = builder.addService(classifier).addService(modelService).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server whose calls, on its channels, run on the calling thread: a unary call without a
   * configured delay is answered before the call to send it returns.
   */
  public static FakeServer synchronous() {
    return new FakeServer(true);
  }

  public FakeClassifier classifier() {
    return classifier;
  }

  public FakeModelService modelService() {
    return modelService;
  }

  /** A new channel to this server; whoever receives it owns it. */
  public ManagedChannel channel() {
    InProcessChannelBuilder builder = InProcessChannelBuilder.forName(name);
    return direct ? builder.directExecutor().build() : builder.build();
  }

  /**
   * A channel to this server whatever {@code target} says, recording the target: stands in for the
   * commands' real channel factory.
   */
  public ManagedChannel channel(String target) {
    targets.add(target);
    return channel();
  }

  /**
   * A resilient client of this server whatever {@code config.target()} says, recording the target
   * like {@link #channel(String)}: stands in for the commands' real client factory. Retry waits are
   * real; the caller owns the client.
   */
  public SwinserveClient client(ClientConfig config) {
    return new SwinserveClient(
        config,
        Map.of(config.target(), channel(config.target())),
        Clock.systemUTC(),
        () -> 0.5,
        BreakerListener.NONE);
  }

  /** The targets channels and clients were asked for, in order. */
  public List<String> targets() {
    return List.copyOf(targets);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
