package dev.swinserve.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a host name to its addresses; the JDK's resolver in production, a fake in tests. */
@FunctionalInterface
interface AddressResolver {

  /**
   * {@link InetAddress#getAllByName}: the system resolver, hosts file and DNS, with the JDK's
   * cache.
   */
  AddressResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /**
   * Every address of {@code host}, in the resolver's order; may block.
   *
   * @throws UnknownHostException when the name does not resolve (now)
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
