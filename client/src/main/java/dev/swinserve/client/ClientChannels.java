package dev.swinserve.client;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
    return forClient(target, Optional.empty());
  }

  /** {@link #forClient(String)}, speaking TLS when {@code tls} is present. */
  public static Map<String, ManagedChannel> forClient(String target, Optional<ClientTls> tls) {
    List<String> addresses =
        ClientTarget.parse(target) instanceof ClientTarget.StaticList list
            ? list.addresses()
            : List.of(target.trim());
    Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    for (String address : addresses) {
      channels.put(address, forEndpoint(address, tls, Optional.empty()));
    }
    return channels;
  }

  /**
   * The channel of one endpoint of a {@link SwinserveClient}: to {@code target} (an address, or a
   * name whose every address it spreads calls over, round robin), speaking TLS when {@code tls} is
   * present, and naming {@code authority} (a DNS name's {@code host:port}) as the server it expects
   * when {@code target} is one of that name's addresses: the server's certificate is checked
   * against the name, not the address. gRPC's own retries are disabled: the client retries in one
   * layer, its {@code ResilienceFactory}. The caller owns the channel.
   */
  public static ManagedChannel forEndpoint(
      String target, Optional<ClientTls> tls, Optional<String> authority) {
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(target, ClientTls.credentials(tls))
            .defaultLoadBalancingPolicy("round_robin")
            .disableRetry();
    authority.ifPresent(builder::overrideAuthority);
    return builder.build();
  }

  /**
   * How a client of the DNS name {@code name} opens each endpoint's channel, from the gRPC target
   * of one of the name's addresses (or the name itself): every channel expects the name's
   * certificate, so TLS checks the name, never the address.
   */
  static Function<String, ManagedChannel> forDnsName(
      ClientTarget.DnsName name, Optional<ClientTls> tls) {
    Optional<String> authority = Optional.of(name.host() + ":" + name.port());
    return target -> forEndpoint(target, tls, authority);
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
