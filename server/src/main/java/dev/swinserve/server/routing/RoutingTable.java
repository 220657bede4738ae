package dev.swinserve.server.routing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every endpoint, by name: an immutable snapshot. Changes make a new table, which the {@link
 * Router} swaps in atomically, so a request sees one consistent split.
 */
public final class RoutingTable {

  private static final RoutingTable EMPTY = new RoutingTable(Map.of());

  private final Map<String, Endpoint> endpoints;

  private RoutingTable(Map<String, Endpoint> endpoints) {
    this.endpoints = Map.copyOf(endpoints);
  }

  public static RoutingTable empty() {
    return EMPTY;
  }

  public static RoutingTable of(Iterable<Endpoint> endpoints) {
    Map<String, Endpoint> byName = new TreeMap<>();
    for (Endpoint endpoint : endpoints) {
      if (byName.put(endpoint.name(), endpoint) != null) {
        throw new InvalidEndpointException("endpoint " + endpoint.name() + " is defined twice");
      }
    }
    return new RoutingTable(byName);
  }

  public Optional<Endpoint> endpoint(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  /** By name, sorted. */
  public Map<String, Endpoint> endpoints() {
    return new TreeMap<>(endpoints);
  }

  public RoutingTable with(Endpoint endpoint) {
    Map<String, Endpoint> copy = new TreeMap<>(endpoints);
    copy.put(endpoint.name(), endpoint);
    return new RoutingTable(copy);
  }

  public RoutingTable without(String name) {
    Map<String, Endpoint> copy = new TreeMap<>(endpoints);
    copy.remove(name);
    return new RoutingTable(copy);
  }

  /**
   * The arm at {@code point} in [0, 1) along the endpoint's cumulative weights; arms of weight 0
   * are never chosen.
   */
  static Endpoint.Arm pick(Endpoint endpoint, double point) {
    double target = point * endpoint.totalWeight();
    long cumulative = 0;
    Endpoint.Arm last = null;
    for (Endpoint.Arm arm : endpoint.arms()) {
      if (arm.weight() == 0) {
        continue;
      }
      cumulative += arm.weight();
      last = arm;
      if (target < cumulative) {
        return arm;
      }
    }
    return last;
  }

  /**
   * A point in [0, 1) that depends only on the endpoint and the key (FNV-1a over UTF-8, then the
   * SplitMix64 finaliser), the same in every process and release: a key keeps its arm while the
   * split is unchanged.
   */
  static double stickyPoint(String endpoint, String key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : (endpoint + '\u0000' + key).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    hash ^= hash >>> 30;
    hash *= 0xbf58476d1ce4e5b9L;
    hash ^= hash >>> 27;
    hash *= 0x94d049bb133111ebL;
    hash ^= hash >>> 31;
    return (hash >>> 11) * 0x1.0p-53;
  }
}
