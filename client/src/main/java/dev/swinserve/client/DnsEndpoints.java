package dev.swinserve.client;

import io.grpc.ManagedChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps a client's {@link Endpoints} in step with what a DNS name resolves to (a Kubernetes
 * headless service: one address per pod). A name with several addresses gets an endpoint per
 * address, named {@code name/address:port}, each with its own channel, breaker and bulkhead. A name
 * with one address, or none (it does not resolve, or not yet), gets one endpoint named by the
 * target, whose channel is to the name itself: gRPC resolves it, as for any other target.
 *
 * <p>Each {@link #refresh} resolves the name again and {@link Endpoints#replace replaces} the set:
 * new addresses join, vanished ones leave after their calls end, kept ones keep their breaker. A
 * failed resolution changes nothing; the next refresh tries again. The JDK caches answers ({@code
 * networkaddress.cache.ttl}, 30 s by default), which adds to the refresh interval.
 *
 * <p>Why not gRPC's own {@code dns:///} resolver for a name with several addresses: it resolves
 * again only when a connection closes or fails (grpc-java issue 2514: servers are meant to set a
 * maximum connection age to make clients resolve again; swinserve sets none), never on a timer, so
 * a pod added behind the name would get no calls while the others stay healthy; and the endpoints
 * need the addresses themselves, one breaker each ({@link Endpoints} says why that cannot live in a
 * gRPC load balancer). A name with one address is left to gRPC, as said above.
 *
 * <p>Thread-safe; refreshes are meant to run one at a time, on the scheduler given to {@link
 * #start}.
 */
final class DnsEndpoints implements AutoCloseable {

  private final ClientTarget.DnsName name;
  private final AddressResolver resolver;
  private final Function<String, ManagedChannel> openChannel;
  private final Endpoints endpoints;
  private volatile ScheduledFuture<?> refreshes;

  /**
   * Resolves {@code name} and fills {@code endpoints} with the result; never fails for want of an
   * answer (one endpoint to the name then).
   *
   * @param openChannel a new channel for a gRPC target ({@code address:port}, or the name's own
   *     target), which the endpoints take ownership of
   */
  DnsEndpoints(
      ClientTarget.DnsName name,
      AddressResolver resolver,
      Function<String, ManagedChannel> openChannel,
      Endpoints endpoints) {
    this.name = name;
    this.resolver = resolver;
    this.openChannel = openChannel;
    this.endpoints = endpoints;
    if (!refresh()) {
      endpoints.replace(Map.of(name.target(), () -> openChannel.apply(name.target())));
    }
  }

  /** Refreshes every {@code interval} on {@code scheduler}, until {@link #close()}. */
  void start(ScheduledExecutorService scheduler, Duration interval) {
    long millis = interval.toMillis();
    refreshes =
        scheduler.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Resolves the name now and makes the endpoints match, as the class comment says.
   *
   * @return whether the name resolved (whether or not the endpoints changed)
   */
  boolean refresh() {
    List<InetAddress> addresses;
    try {
      addresses = List.copyOf(new LinkedHashSet<>(resolver.resolve(name.host())));
    } catch (UnknownHostException | RuntimeException e) {
      // A scheduled task that throws is never run again: keep the endpoints, retry next time.
      return false;
    }
    if (addresses.isEmpty()) {
      return false;
    }
    endpoints.replace(wanted(addresses));
    return true;
  }

  /** Stops refreshing; the endpoints stay as they are. */
  @Override
  public void close() {
    ScheduledFuture<?> scheduled = refreshes;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  private Map<String, Supplier<ManagedChannel>> wanted(List<InetAddress> addresses) {
    Map<String, Supplier<ManagedChannel>> wanted = new LinkedHashMap<>();
    if (addresses.size() == 1) {
      wanted.put(name.target(), () -> openChannel.apply(name.target()));
      return wanted;
    }
    for (InetAddress address : addresses) {
      String hostAndPort = literal(address) + ":" + name.port();
      wanted.put(name.host() + "/" + hostAndPort, () -> openChannel.apply(hostAndPort));
    }
    return wanted;
  }

  private static String literal(InetAddress address) {
    return address instanceof Inet6Address
        ? "[" + address.getHostAddress() + "]"
        : address.getHostAddress();
  }
}
