package dev.swinserve.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A resolver that answers from a table the test sets, name to IP literals; a name not in the table
 * does not resolve. Records every name asked. Thread-safe.
 */
final class FakeResolver implements AddressResolver {

  private final Map<String, List<InetAddress>> table = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  /**
   * From now on {@code host} resolves to {@code ipLiterals}, in that order (none: it does not
   * resolve).
   */
  FakeResolver answer(String host, String... ipLiterals) {
    List<InetAddress> addresses = new ArrayList<>();
    for (String literal : ipLiterals) {
      try {
        // A literal is parsed, never looked up.
        addresses.add(InetAddress.getByName(literal));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + literal, e);
      }
    }
    if (addresses.isEmpty()) {
      table.remove(host);
    } else {
      table.put(host, List.copyOf(addresses));
    }
    return this;
  }

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    asked.add(host);
    List<InetAddress> addresses = table.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host + ": not in the fake resolver's table");
    }
    return addresses;
  }

  /** The names asked so far, in order. */
  List<String> asked() {
    return List.copyOf(asked);
  }
}
