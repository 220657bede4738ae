package dev.swinserve.client;

import dev.swinserve.client.resilience.ResilienceFactory;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The endpoints a client sends to, each a channel with its own breaker and bulkhead, picked round
 * robin. An endpoint is passed over while another one will take the call if its breaker is open, or
 * if its channel has lost its connection or cannot connect (as gRPC's round robin passes over such
 * addresses); when no endpoint qualifies, the next one in turn whose breaker admits calls is picked
 * anyway, else simply the next one, and its breaker refuses (or, its wait over, lets a probe
 * through).
 *
 * <p>The set can change while calls run ({@link #replace}): it is an immutable list swapped
 * atomically, so a pick sees the old set or the new one. Thread-safe.
 *
 * <p>Why not a gRPC load balancer whose {@code SubchannelPicker} consults the breakers, over one
 * channel: a breaker must be asked for a permit before a call and told its outcome after, and
 * half-open it hands out only {@code halfOpenProbes} permits. A picker could take the permit in
 * {@code pickSubchannel} and report through a {@code ClientStreamTracer}, but gRPC may pick several
 * times for one call (a buffered call is picked again at every new picker; a picked subchannel that
 * is no longer READY means another pick) and says nothing of a pick it drops, so permits taken
 * there would leak and leave a breaker half-open with no probe left to close it. The per-endpoint
 * bulkhead has the same problem; the fallback model must be chosen before the request is built,
 * that is before any pick; and {@code LoadBalancer}, {@code SubchannelPicker} and {@code
 * NameResolver} are {@code @ExperimentalApi} in grpc-java (issues 1771 and 1770). What gRPC's round
 * robin does that matters here, passing over addresses that lost or cannot make a connection, is
 * read from each channel's state instead ({@link Endpoint#unreachable}).
 */
final class Endpoints implements AutoCloseable {

  /** One endpoint; whether its channel is reachable is judged from the channel's state. */
  static final class Endpoint {
    private final String name;
    private final ManagedChannel channel;
    private final ResilienceFactory.Guard guard;
    private volatile boolean seenReady;

    Endpoint(String name, ManagedChannel channel, ResilienceFactory.Guard guard) {
      this.name = name;
      this.channel = channel;
      this.guard = guard;
    }

    String name() {
      return name;
    }

    ManagedChannel channel() {
      return channel;
    }

    ResilienceFactory.Guard guard() {
      return guard;
    }

    /**
     * Whether the channel failed to connect, or was seen connected and is no longer. A channel
     * never seen connected is not judged (it connects on its first call); one gone idle is asked to
     * reconnect, so that it can come back.
     */
    boolean unreachable() {
      ConnectivityState state = channel.getState(false);
      switch (state) {
        case READY -> {
          seenReady = true;
          return false;
        }
        case TRANSIENT_FAILURE, SHUTDOWN -> {
          return true;
        }
        case IDLE -> {
          if (seenReady) {
            channel.getState(true);
          }
          return seenReady;
        }
        default -> {
          return seenReady;
        }
      }
    }
  }

  private final ResilienceFactory resilience;
  private final AtomicReference<List<Endpoint>> current = new AtomicReference<>(List.of());
  private final AtomicInteger next = new AtomicInteger();
  // Guarded by this: endpoints replaced away whose channels may still carry calls.
  private final List<Endpoint> retired = new ArrayList<>();
  private boolean closed;

  /** No endpoints yet: {@link #replace} must add some before the first {@link #pick}. */
  Endpoints(ResilienceFactory resilience) {
    this.resilience = resilience;
  }

  /** A fixed set: {@code channels} by endpoint name, in order, which it takes ownership of. */
  Endpoints(Map<String, ManagedChannel> channels, ResilienceFactory resilience) {
    this(resilience);
    Map<String, Supplier<ManagedChannel>> wanted = new LinkedHashMap<>();
    channels.forEach((name, channel) -> wanted.put(name, () -> channel));
    replace(wanted);
  }

  /**
   * Makes the set {@code wanted} (endpoint name to a way of opening its channel), atomically. An
   * endpoint already present under its name is kept as it is, breaker and channel included; a new
   * name gets a channel from its supplier and a fresh breaker and bulkhead, appended; an endpoint
   * not wanted leaves, and its channel is shut down gracefully: calls on it run to their end, new
   * ones fail (UNAVAILABLE, retried elsewhere).
   *
   * @return whether the set changed
   * @throws IllegalArgumentException if {@code wanted} is empty: a client always has an endpoint
   */
  synchronized boolean replace(Map<String, Supplier<ManagedChannel>> wanted) {
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one endpoint");
    }
    if (closed) {
      return false;
    }
    retired.removeIf(endpoint -> endpoint.channel().isTerminated());
    List<Endpoint> before = current.get();
    List<Endpoint> after = new ArrayList<>();
    for (Endpoint endpoint : before) {
      if (wanted.containsKey(endpoint.name())) {
        after.add(endpoint);
      }
    }
    List<String> kept = after.stream().map(Endpoint::name).toList();
    wanted.forEach(
        (name, open) -> {
          if (!kept.contains(name)) {
            after.add(new Endpoint(name, open.get(), resilience.guard(name)));
          }
        });
    if (after.size() == before.size() && kept.size() == before.size()) {
      return false;
    }
    current.set(List.copyOf(after));
    for (Endpoint endpoint : before) {
      if (!wanted.containsKey(endpoint.name())) {
        endpoint.channel().shutdown();
        retired.add(endpoint);
      }
    }
    return true;
  }

  /** The endpoint for the next call, as the class comment says. */
  Endpoint pick() {
    List<Endpoint> endpoints = current.get();
    if (endpoints.size() == 1) {
      return endpoints.get(0);
    }
    int start = Math.floorMod(next.getAndIncrement(), endpoints.size());
    Endpoint admitting = null;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint candidate = endpoints.get((start + i) % endpoints.size());
      if (candidate.guard().mayAdmit()) {
        if (!candidate.unreachable()) {
          return candidate;
        }
        if (admitting == null) {
          admitting = candidate;
        }
      }
    }
    return admitting != null ? admitting : endpoints.get(start);
  }

  /** The endpoints now, in order. */
  List<Endpoint> all() {
    return current.get();
  }

  /**
   * The channel of the endpoint {@code guard} belongs to, which may have left the set since it was
   * picked.
   *
   * @throws io.grpc.StatusRuntimeException UNAVAILABLE (retryable) if that endpoint has left and
   *     its channel has terminated since
   */
  ManagedChannel channelOf(ResilienceFactory.Guard guard) {
    for (Endpoint endpoint : current.get()) {
      if (endpoint.guard() == guard) {
        return endpoint.channel();
      }
    }
    synchronized (this) {
      for (Endpoint endpoint : retired) {
        if (endpoint.guard() == guard) {
          return endpoint.channel();
        }
      }
    }
    throw Status.UNAVAILABLE
        .withDescription("endpoint " + guard.endpoint() + " has left")
        .asRuntimeException();
  }

  /**
   * Shuts every channel down, giving calls in progress up to five seconds each to end; no more
   * changes.
   */
  @Override
  public void close() {
    List<Endpoint> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(current.get());
      all.addAll(retired);
      retired.clear();
    }
    all.forEach(endpoint -> ClientChannels.shutdown(endpoint.channel()));
  }
}
