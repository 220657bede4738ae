package dev.swinserve.client;

import dev.swinserve.client.resilience.ResilienceFactory;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints a client sends to, each a channel with its own breaker and bulkhead, picked round
 * robin. An endpoint whose breaker is open is passed over while another one will take the call;
 * when every breaker is open the next endpoint in turn is picked anyway and its breaker refuses
 * (or, its wait over, lets a probe through). Thread-safe.
 */
final class Endpoints {

  record Endpoint(ManagedChannel channel, ResilienceFactory.Guard guard) {}

  private final List<Endpoint> endpoints = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  Endpoints(Map<String, ManagedChannel> channels, ResilienceFactory resilience) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one endpoint");
    }
    channels.forEach((name, channel) -> endpoints.add(new Endpoint(channel, resilience.guard(name))));
  }

  Endpoint pick() {
    if (endpoints.size() == 1) {
      return endpoints.get(0);
    }
    int start = Math.floorMod(next.getAndIncrement(), endpoints.size());
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint candidate = endpoints.get((start + i) % endpoints.size());
      if (candidate.guard().mayAdmit()) {
        return candidate;
      }
    }
    return endpoints.get(start);
  }

  List<Endpoint> all() {
    return List.copyOf(endpoints);
  }
}
