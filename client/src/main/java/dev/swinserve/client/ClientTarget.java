package dev.swinserve.client;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client's target string names, which decides how its endpoints are made: a static list (an
 * endpoint per address), a DNS name the client resolves itself (an endpoint per address, kept
 * current by {@link DnsEndpoints}), or anything else, left to gRPC as one channel.
 */
sealed interface ClientTarget {

  /**
   * {@code host:port}, optionally after {@code dns:///}, where host is neither an IP literal nor
   * empty.
   */
  Pattern DNS_NAME = Pattern.compile("(?:dns:///)?([^/:\\[\\]]+):(\\d{1,5})");

  /** {@code host1:port1,host2:port2}: an endpoint per address, fixed. */
  record StaticList(List<String> addresses) implements ClientTarget {}

  /**
   * A DNS name, resolved by the client.
   *
   * @param target the target as written, the name of its one endpoint while it has only one
   */
  record DnsName(String target, String host, int port) implements ClientTarget {}

  /**
   * An IP literal or a target only gRPC understands ({@code unix:}, {@code dns://server/...}): one
   * channel.
   */
  record Single(String target) implements ClientTarget {}

  static ClientTarget parse(String target) {
    if (target.contains(",")) {
      List<String> addresses =
          Arrays.stream(target.split(","))
              .map(String::trim)
              .filter(address -> !address.isEmpty())
              .toList();
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("no address in target '" + target + "'");
      }
      return new StaticList(addresses);
    }
    Matcher name = DNS_NAME.matcher(target.trim());
    if (name.matches()
        && !name.group(1).matches("[0-9.]+")
        && Integer.parseInt(name.group(2)) <= 65535) {
      return new DnsName(target.trim(), name.group(1), Integer.parseInt(name.group(2)));
    }
    return new Single(target.trim());
  }
}
