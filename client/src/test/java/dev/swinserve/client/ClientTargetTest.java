package dev.swinserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientTargetTest {

  @Test
  void aCommaSeparatedListIsStatic() {
    assertThat(ClientTarget.parse("alpha:8500, beta:8500,"))
        .isEqualTo(new ClientTarget.StaticList(List.of("alpha:8500", "beta:8500")));
    assertThatThrownBy(() -> ClientTarget.parse(" , ")).hasMessageContaining("no address");
  }

  @Test
  void aHostNameWithAPortIsADnsNameWithOrWithoutTheScheme() {
    assertThat(ClientTarget.parse("swinserve.default.svc:8500"))
        .isEqualTo(
            new ClientTarget.DnsName("swinserve.default.svc:8500", "swinserve.default.svc", 8500));
    assertThat(ClientTarget.parse("dns:///swinserve-headless:9000"))
        .isEqualTo(
            new ClientTarget.DnsName("dns:///swinserve-headless:9000", "swinserve-headless", 9000));
  }

  @Test
  void ipLiteralsAndTargetsOnlyGrpcUnderstandsAreOneChannel() {
    for (String target :
        List.of(
            "10.0.0.7:8500",
            "[::1]:8500",
            "dns:///10.0.0.7:8500",
            "dns://8.8.8.8/name:8500",
            "unix:///run/swinserve.sock",
            "in-process",
            "name",
            "name:http",
            "name:70000")) {
      assertThat(ClientTarget.parse(target)).as(target).isEqualTo(new ClientTarget.Single(target));
    }
  }
}
