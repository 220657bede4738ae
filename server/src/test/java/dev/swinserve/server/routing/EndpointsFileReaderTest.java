package dev.swinserve.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.registry.VersionSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every key of endpoints.yaml, and the errors that name what is wrong. */
class EndpointsFileReaderTest {

  @Test
  void readsArmsWithVersionLabelOrDefaultAndShadows() {
    List<Endpoint> endpoints =
        EndpointsFileReader.parse(
            """
        endpoints:
          classifier:
            arms: [{model: mini, version: 1, weight: 90}, {model: mini, label: canary, weight: 10}]
            shadows: [{model: other, label: stable, share: 1.0}, {model: third, share: 0.25}]
          plain:
            arms: [{model: mini, weight: 1}]
        """);

    assertThat(endpoints)
        .containsExactly(
            new Endpoint(
                "classifier",
                List.of(
                    new Endpoint.Arm(new ModelTarget("mini", VersionSelector.version(1)), 90),
                    new Endpoint.Arm(new ModelTarget("mini", VersionSelector.label("canary")), 10)),
                List.of(
                    new Endpoint.Shadow(
                        new ModelTarget("other", VersionSelector.label("stable")), 1.0),
                    new Endpoint.Shadow(
                        new ModelTarget("third", VersionSelector.defaultVersion()), 0.25))),
            new Endpoint(
                "plain",
                List.of(
                    new Endpoint.Arm(new ModelTarget("mini", VersionSelector.defaultVersion()), 1)),
                List.of()));
  }

  @Test
  void theExampleInConfigsParses() throws IOException {
    Path example = Path.of("").toAbsolutePath().getParent().resolve("configs/endpoints.yaml");

    List<Endpoint> endpoints = EndpointsFileReader.parse(Files.readString(example));

    assertThat(endpoints)
        .singleElement()
        .satisfies(
            endpoint -> {
              assertThat(endpoint.name()).isEqualTo("classifier");
              assertThat(endpoint.arms()).extracting(Endpoint.Arm::weight).containsExactly(90, 10);
              assertThat(endpoint.shadows())
                  .extracting(Endpoint.Shadow::share)
                  .containsExactly(1.0);
            });
  }

  @Test
  void anEmptyFileOrNoEndpointsKeyMeansNoEndpoints() {
    assertThat(EndpointsFileReader.parse("")).isEmpty();
    assertThat(EndpointsFileReader.parse("endpoints:\n")).isEmpty();
  }

  @Test
  void errorsNameTheirPlace() {
    assertError(
        "endpoints: {e: {arms: [{model: m, weight: 1}], shadow: []}}",
        "'endpoints.e.shadow' is an unknown key (known keys here: arms, shadows) (line 1)");
    assertError("endpoint: {}", "'endpoint' is an unknown key");
    assertError(
        "endpoints: {e: {arms: [{model: m, version: 1, label: x, weight: 1}]}}",
        "both version and label");
    assertError(
        "endpoints: {e: {arms: [{model: m}]}}",
        "'endpoints.e.arms[0].weight' (a number) is required for m");
    assertError(
        "endpoints: {e: {arms: [{weight: 1}]}}",
        "'endpoints.e.arms[0].model' (a name) is required");
    assertError("endpoints: {e: {arms: [{model: m, weight: -1}]}}", "must not be negative");
    assertError("endpoints: {e: {arms: [{model: m, weight: 0}]}}", "positive total");
    assertError(
        "endpoints: {e: {arms: [{model: m, weight: 1}], shadows: [{model: s, share: 2}]}}",
        "[0, 1]");
    assertError(
        "endpoints: {e: {arms: [{model: m, version: one, weight: 1}]}}", "must be an integer");
    assertError(
        "endpoints: {e: {arms: {model: m, weight: 1}}}", "'endpoints.e.arms' must be a list");
    assertError("endpoints: {'bad name': {arms: [{model: m, weight: 1}]}}", "is invalid");
    assertError("endpoints: [", "not valid YAML");
    assertError(
        "endpoints: {e: {arms: [{model: m, weight: 1, share: 0.5}]}}",
        "'endpoints.e.arms[0].share' is an unknown key here");
    assertError(
        "endpoints:\n  e: {arms: [{model: m, weight: 1}]}\n  e: {arms: [{model: n, weight: 1}]}\n",
        "Duplicate field 'e'");
    assertError(
        "endpoints: {e: {arms: [{model: m, weight: 1.5}]}}",
        "'endpoints.e.arms[0].weight' must be an integer");
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> EndpointsFileReader.parse(yaml))
        .as(yaml)
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining(message);
  }
}
