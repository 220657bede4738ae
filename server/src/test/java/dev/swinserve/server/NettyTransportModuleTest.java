package dev.swinserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.server.config.ServerConfig;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class NettyTransportModuleTest {

  @Test
  void withoutAHostTheServerListensOnEveryInterface() {
    InetSocketAddress address =
        NettyTransportModule.listenAddress(ServerConfig.defaults().withPort(9001));

    assertThat(address.getAddress().isAnyLocalAddress())
        .as("wildcard address, got %s", address)
        .isTrue();
    assertThat(address.getPort()).isEqualTo(9001);
  }

  @Test
  void aConfiguredHostIsTheOnlyAddressListenedOn() {
    InetSocketAddress address =
        NettyTransportModule.listenAddress(
            ServerConfig.defaults().withHost("127.0.0.2").withPort(9001));

    assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(address.getPort()).isEqualTo(9001);
  }
}
