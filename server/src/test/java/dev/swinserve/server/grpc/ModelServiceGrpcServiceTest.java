package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.ReflectionListing;
import dev.swinserve.server.testing.Requests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModelService and health, in-process, with real models. */
class ModelServiceGrpcServiceTest {

  @TempDir Path repository;

  @Test
  void listsVersionsWithStatesLabelsAndFailures() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    Path broken = Files.createDirectories(repository.resolve("mini/2"));
    Files.writeString(broken.resolve("saved_model.pb"), "not a model");
    Files.writeString(
        repository.resolve("mini/model.yaml"), "version_policy: all\nlabels: {stable: 1}\n");

    try (InProcessServer server = InProcessServer.start(repository)) {
      ModelStatus mini =
          ModelServiceGrpc.newBlockingStub(server.channel())
              .listModels(ListModelsRequest.getDefaultInstance())
              .getModels(0);

      assertThat(mini.getName()).isEqualTo("mini");
      assertThat(mini.getServing()).isTrue();
      assertThat(mini.getDefaultVersion()).isEqualTo(1);
      assertThat(mini.getLabelsMap()).containsEntry("stable", 1L);
      assertThat(mini.getVersionsList())
          .anySatisfy(
              version -> {
                assertThat(version.getVersion()).isEqualTo(1);
                assertThat(version.getState()).isEqualTo(VersionState.AVAILABLE);
                assertThat(version.getLabelsList()).containsExactly("stable");
              });
      assertThat(mini.getVersionsList())
          .anySatisfy(
              version -> {
                assertThat(version.getVersion()).isEqualTo(2);
                assertThat(version.getState()).isEqualTo(VersionState.FAILED);
                assertThat(version.getError()).isNotBlank();
              });
    }
  }

  @Test
  void setLabelMovesTrafficAndRefusesUnavailableVersions() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      var classifier = ClassifierGrpc.newBlockingStub(server.channel());
      var image = Requests.pixels(64, FixtureRepository.reference(MINI).image(0));

      ModelStatus status =
          models.setLabel(
              SetLabelRequest.newBuilder()
                  .setModel("mini")
                  .setLabel("stable")
                  .setVersion(2)
                  .build());

      assertThat(status.getDefaultVersion()).isEqualTo(2);
      assertThat(
              classifier
                  .classify(Requests.to("mini").addImages(image).build())
                  .getModel()
                  .getVersion())
          .isEqualTo(2);
      assertThatThrownBy(
              () ->
                  models.setLabel(
                      SetLabelRequest.newBuilder()
                          .setModel("mini")
                          .setLabel("stable")
                          .setVersion(7)
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      ModelStatus onlyTwo =
          models.getModelStatus(ModelSpec.newBuilder().setName("mini").setLabel("stable").build());
      assertThat(onlyTwo.getVersionsList()).extracting(v -> v.getVersion()).containsExactly(2L);
    }
  }

  @Test
  void reloadPicksUpANewModelAndHealthReportsEachModel() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);

    try (InProcessServer server = InProcessServer.start(repository)) {
      var health = HealthGrpc.newBlockingStub(server.channel());
      assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(
              health.check(HealthCheckRequest.newBuilder().setService("mini").build()).getStatus())
          .isEqualTo(ServingStatus.SERVING);

      FixtureRepository.add(repository, "other", 1, "swinv2-mini-96-window6");
      var models =
          ModelServiceGrpc.newBlockingStub(server.channel())
              .reloadRepository(ReloadRepositoryRequest.getDefaultInstance())
              .getModelsList();

      assertThat(models).extracting(ModelStatus::getName).containsExactly("mini", "other");
      assertThat(ReflectionListing.services(server.channel()))
          .contains(
              "swinserve.v1.Classifier",
              "swinserve.v1.ModelService",
              "grpc.health.v1.Health",
              "tensorflow.serving.PredictionService",
              "tensorflow.serving.ModelService",
              "inference.GRPCInferenceService");
      assertThat(
              health.check(HealthCheckRequest.newBuilder().setService("other").build()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
    }
  }
}
