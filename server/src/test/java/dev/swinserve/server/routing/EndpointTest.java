package dev.swinserve.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.registry.VersionSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What makes an endpoint definition invalid. */
class EndpointTest {

  private static final ModelTarget MINI = new ModelTarget("mini", VersionSelector.defaultVersion());

  @Test
  void rejectsNegativeWeightsAndAZeroTotal() {
    assertThatThrownBy(() -> new Endpoint.Arm(MINI, -1))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> new Endpoint("e", List.of(new Endpoint.Arm(MINI, 0)), List.of()))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("positive total");
    assertThatThrownBy(() -> new Endpoint("e", List.of(), List.of()))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("no arms");
  }

  @Test
  void rejectsSharesOutsideZeroToOne() {
    assertThatThrownBy(() -> new Endpoint.Shadow(MINI, 1.5))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> new Endpoint.Shadow(MINI, Double.NaN))
        .isInstanceOf(InvalidEndpointException.class);
  }

  @Test
  void rejectsInvalidNames() {
    assertThatThrownBy(
            () -> new Endpoint("bad name", List.of(new Endpoint.Arm(MINI, 1)), List.of()))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("invalid");
    assertThatThrownBy(() -> new ModelTarget(" ", VersionSelector.defaultVersion()))
        .isInstanceOf(InvalidEndpointException.class);
  }

  @Test
  void namesArmsAsModelAtVersionOrLabel() {
    assertThat(new ModelTarget("mini", VersionSelector.version(3))).hasToString("mini@3");
    assertThat(new ModelTarget("mini", VersionSelector.label("canary"))).hasToString("mini@canary");
    assertThat(MINI).hasToString("mini");
  }

  @Test
  void stickyPointsAreStableAndInZeroToOne() {
    double point = RoutingTable.stickyPoint("classifier", "user-1");

    assertThat(point)
        .isEqualTo(RoutingTable.stickyPoint("classifier", "user-1"))
        .isBetween(0.0, 1.0)
        .isLessThan(1.0);
    assertThat(RoutingTable.stickyPoint("classifier", "user-2")).isNotEqualTo(point);
  }
}
