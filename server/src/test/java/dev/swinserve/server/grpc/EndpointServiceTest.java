package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.DeleteEndpointRequest;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.GetEndpointRequest;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ListEndpointsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.ShadowArm;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.Requests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints through ModelService and endpoints.yaml, in-process, with real models. */
class EndpointServiceTest {

  @TempDir Path repository;

  private static Arm arm(String model, long version, int weight) {
    return Arm.newBuilder()
        .setModel(ModelSpec.newBuilder().setName(model).setVersion(version))
        .setWeight(weight)
        .build();
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  @Test
  void setGetListDeleteAndClassifyThroughAnEndpoint() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    FixtureRepository.add(repository, "mini", 2, MINI);
    Files.writeString(repository.resolve("mini/model.yaml"), "version_policy: all\n");

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      var classifier = ClassifierGrpc.newBlockingStub(server.channel());
      Image image = Requests.pixels(64, FixtureRepository.reference(MINI).image(0));
      Endpoint endpoint =
          Endpoint.newBuilder()
              .setName("classifier")
              .addArms(arm("mini", 1, 0))
              .addArms(arm("mini", 2, 1))
              .addShadows(
                  ShadowArm.newBuilder()
                      .setModel(ModelSpec.newBuilder().setName("mini").setVersion(1))
                      .setShare(1.0))
              .build();

      assertThat(models.setEndpoint(endpoint)).isEqualTo(endpoint);
      assertThat(models.getEndpoint(GetEndpointRequest.newBuilder().setName("classifier").build()))
          .isEqualTo(endpoint);
      assertThat(models.listEndpoints(ListEndpointsRequest.getDefaultInstance()).getEndpointsList())
          .containsExactly(endpoint);
      var answer =
          classifier.classify(
              Requests.to("classifier").setRoutingKey("user-1").addImages(image).build());
      assertThat(answer.getModel().getName()).isEqualTo("mini");
      assertThat(answer.getModel().getVersion()).as("the only arm with weight").isEqualTo(2);
      assertThat(
              MetricsServiceGrpc.newBlockingStub(server.channel())
                  .getMetrics(GetMetricsRequest.getDefaultInstance())
                  .getDistributionsList())
          .anySatisfy(
              series -> {
                assertThat(series.getName()).isEqualTo("arm_latency");
                assertThat(series.getLabelsMap())
                    .containsEntry("endpoint", "classifier")
                    .containsEntry("arm", "mini@2");
                assertThat(series.getCount()).isEqualTo(1);
              });
      assertStatus(
          () ->
              classifier.classify(
                  Requests.to("classifier")
                      .setModel(ModelSpec.newBuilder().setName("classifier").setVersion(1))
                      .addImages(image)
                      .build()),
          Status.Code.INVALID_ARGUMENT);

      models.deleteEndpoint(DeleteEndpointRequest.newBuilder().setName("classifier").build());

      assertStatus(
          () -> models.getEndpoint(GetEndpointRequest.newBuilder().setName("classifier").build()),
          Status.Code.NOT_FOUND);
      assertStatus(
          () ->
              models.deleteEndpoint(
                  DeleteEndpointRequest.newBuilder().setName("classifier").build()),
          Status.Code.NOT_FOUND);
      assertStatus(
          () -> classifier.classify(Requests.to("classifier").addImages(image).build()),
          Status.Code.NOT_FOUND);
    }
  }

  @Test
  void invalidEndpointsAreRefusedAndMissingArmModelsFailAtCallTime() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());

      assertStatus(
          () ->
              models.setEndpoint(
                  Endpoint.newBuilder().setName("e").addArms(arm("mini", 1, -1)).build()),
          Status.Code.INVALID_ARGUMENT);
      assertStatus(
          () ->
              models.setEndpoint(
                  Endpoint.newBuilder()
                      .setName("e")
                      .addArms(arm("mini", 1, 1))
                      .addShadows(
                          ShadowArm.newBuilder()
                              .setModel(ModelSpec.newBuilder().setName("mini"))
                              .setShare(1.5))
                      .build()),
          Status.Code.INVALID_ARGUMENT);
      assertStatus(
          () ->
              models.setEndpoint(
                  Endpoint.newBuilder().setName("").addArms(arm("mini", 1, 1)).build()),
          Status.Code.INVALID_ARGUMENT);

      models.setEndpoint(Endpoint.newBuilder().setName("e").addArms(arm("absent", 1, 1)).build());
      Image image = Requests.pixels(64, FixtureRepository.reference(MINI).image(0));
      assertStatus(
          () ->
              ClassifierGrpc.newBlockingStub(server.channel())
                  .classify(Requests.to("e").addImages(image).build()),
          Status.Code.NOT_FOUND);
    }
  }

  @Test
  void theConfigFileIsReadAtStartAndItsErrorsAreVisible() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    Files.writeString(
        repository.resolve("endpoints.yaml"),
        "endpoints: {classifier: {arms: [{model: mini, version: 1, weight: 1}]}}\n");

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      assertThat(
              models
                  .getEndpoint(GetEndpointRequest.newBuilder().setName("classifier").build())
                  .getArmsList())
          .containsExactly(arm("mini", 1, 1));

      Files.writeString(
          repository.resolve("endpoints.yaml"), "endpoints: {classifier: {arms: []}}\n");
      models.reloadRepository(ReloadRepositoryRequest.getDefaultInstance());

      var list = models.listEndpoints(ListEndpointsRequest.getDefaultInstance());
      assertThat(list.getConfigError()).contains("has no arms");
      assertThat(list.getEndpointsList())
          .as("last good routing kept")
          .extracting(Endpoint::getName)
          .containsExactly("classifier");
    }
  }
}
