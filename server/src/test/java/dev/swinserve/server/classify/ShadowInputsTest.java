package dev.swinserve.server.classify;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.Distribution;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ShadowArm;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real SavedModels: a shadow that preprocesses like the primary and one with a larger input both
 * run on the input they need, whether reused from the primary or decoded for them.
 */
class ShadowInputsTest {

  @TempDir Path repository;

  @Test
  void shadowsOfTheSameAndOfAnotherInputSizeEachRunOnTheirOwnInput() throws Exception {
    FixtureRepository.add(repository, "mini", 1, MINI);
    FixtureRepository.add(repository, "twin", 1, MINI);
    FixtureRepository.add(repository, "wide", 1, "swinv2-mini-96-window6");
    try (InProcessServer server = InProcessServer.start(repository)) {
      ModelServiceGrpc.newBlockingStub(server.channel())
          .setEndpoint(
              Endpoint.newBuilder()
                  .setName("shadowed")
                  .addArms(
                      Arm.newBuilder()
                          .setModel(ModelSpec.newBuilder().setName("mini").setVersion(1))
                          .setWeight(1))
                  .addShadows(
                      ShadowArm.newBuilder()
                          .setModel(ModelSpec.newBuilder().setName("twin").setVersion(1))
                          .setShare(1))
                  .addShadows(
                      ShadowArm.newBuilder()
                          .setModel(ModelSpec.newBuilder().setName("wide").setVersion(1))
                          .setShare(1))
                  .build());

      ClassifierGrpc.newBlockingStub(server.channel())
          .classify(
              Requests.to("shadowed")
                  .addImages(Requests.encoded(Files.readAllBytes(Fixtures.image("chelsea.png"))))
                  .build());

      for (String shadow : new String[] {"twin@1", "wide@1"}) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(
                            series(
                                server,
                                "shadow_latency",
                                Map.of("shadow", shadow, "outcome", "ok")))
                        .as("%s answered", shadow)
                        .hasValueSatisfying(
                            latency -> assertThat(latency.getCount()).isEqualTo(1)));
      }
      assertThat(series(server, "shadow_latency", Map.of("outcome", "error")))
          .as("a shadow failed")
          .isEmpty();
      assertThat(series(server, "shadow_agreement", Map.of("shadow", "twin@1")))
          .as("the same weights on the same input agree")
          .hasValueSatisfying(
              agreement -> {
                assertThat(agreement.getCount()).isEqualTo(1);
                assertThat(agreement.getMean()).isEqualTo(1.0);
              });
    }
  }

  /** The series {@code name} of endpoint "shadowed" whose labels include {@code labels}. */
  private static Optional<Distribution> series(
      InProcessServer server, String name, Map<String, String> labels) {
    return MetricsServiceGrpc.newBlockingStub(server.channel())
        .getMetrics(GetMetricsRequest.getDefaultInstance())
        .getDistributionsList()
        .stream()
        .filter(
            series ->
                series.getName().equals(name)
                    && "shadowed".equals(series.getLabelsMap().get("endpoint"))
                    && series.getLabelsMap().entrySet().containsAll(labels.entrySet()))
        .findFirst();
  }
}
