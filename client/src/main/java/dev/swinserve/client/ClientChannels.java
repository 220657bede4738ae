package dev.swinserve.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one place that decides how a client reaches a server, so transport security is added once.
 */
public final class ClientChannels {

  /**
   * Where the command-line tools look for a server unless told otherwise (TensorFlow Serving\'s
   * port).
   */
  public static final String DEFAULT_TARGET = "localhost:8500";

  private ClientChannels() {}

  /**
   * A plaintext channel to {@code target} ({@code HOST:PORT} or any gRPC target string). The caller
   * owns the channel and must shut it down.
   */
  public static ManagedChannel plaintext(String target) {
    return ManagedChannelBuilder.forTarget(target).usePlaintext().build();
  }

  /**
   * Plaintext channels for a {@link SwinserveClient}'s target, by endpoint name, in target order: a
   * static list {@code host1:port1,host2:port2} gets a channel per address (each its own endpoint,
   * with its own breaker); anything else one channel ({@link #forEndpoint}). A DNS name given to
   * {@link SwinserveClient#connect(ClientConfig, dev.swinserve.client.resilience.BreakerListener)}
   * gets an endpoint per address instead (see {@code DnsEndpoints}). The caller owns the channels.
   */
  public static Map<String, ManagedChannel> forClient(String target) {
    List<String> addresses =
        ClientTarget.parse(target) instanceof ClientTarget.StaticList list
            ? list.addresses()
            : List.of(target.trim());
    Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    for (String address : addresses) {
      channels.put(address, forEndpoint(address));
    }
    return channels;
  }

  /**
   * The plaintext channel of one endpoint of a {@link SwinserveClient}: to {@code target} (an
   * address, or a name whose every address it spreads calls over, round robin). gRPC's own retries
   * are disabled: the client retries in one layer, its {@code ResilienceFactory}. The caller owns
   * the channel.
   */
  public static ManagedChannel forEndpoint(String target) {
    return ManagedChannelBuilder.forTarget(target)
        .usePlaintext()
        .defaultLoadBalancingPolicy("round_robin")
        .disableRetry()
        .build();
  }

  /**
   * Shuts {@code channel} down, giving calls in progress up to five seconds before cancelling them.
   * An interrupt cancels them at once and stays set.
   */
  public static void shutdown(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
