package dev.swinserve.server.tfserving;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Int64Value;
import dev.swinserve.api.tensorflow.Code;
import dev.swinserve.api.tfserving.GetModelStatusRequest;
import dev.swinserve.api.tfserving.GetModelStatusResponse;
import dev.swinserve.api.tfserving.ModelServiceGrpc;
import dev.swinserve.api.tfserving.ModelSpec;
import dev.swinserve.api.tfserving.ModelVersionStatus;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow Serving's ModelService.GetModelStatus in-process, on the production modules: a model
 * with a serving version and a version whose SavedModel is broken.
 */
class ModelStatusGrpcServiceTest {

  @TempDir static Path repository;
  private static InProcessServer server;
  private static ModelServiceGrpc.ModelServiceBlockingStub models;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    Path broken = Files.createDirectories(repository.resolve("mini/2"));
    Files.writeString(broken.resolve("saved_model.pb"), "not a model");
    Files.writeString(
        repository.resolve("mini/model.yaml"), "version_policy: all\nlabels: {stable: 1}\n");
    server = InProcessServer.start(repository);
    models = ModelServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void everyVersionWithItsStateAndAFailureWithItsReason() {
    GetModelStatusResponse response = models.getModelStatus(request(ModelSpec.newBuilder()));

    assertThat(response.getModelVersionStatusList())
        .extracting(ModelVersionStatus::getVersion)
        .containsExactly(1L, 2L);
    ModelVersionStatus serving = response.getModelVersionStatus(0);
    assertThat(serving.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
    assertThat(serving.getStatus().getErrorCode()).isEqualTo(Code.OK);
    assertThat(serving.getStatus().getErrorMessage()).isEmpty();
    ModelVersionStatus failed = response.getModelVersionStatus(1);
    assertThat(failed.getState()).isEqualTo(ModelVersionStatus.State.END);
    assertThat(failed.getStatus().getErrorCode()).isEqualTo(Code.UNKNOWN);
    assertThat(failed.getStatus().getErrorMessage()).isNotBlank();
  }

  @Test
  void aVersionOrLabelSelectsOneVersion() {
    GetModelStatusResponse byVersion =
        models.getModelStatus(request(ModelSpec.newBuilder().setVersion(Int64Value.of(2))));
    GetModelStatusResponse byLabel =
        models.getModelStatus(request(ModelSpec.newBuilder().setVersionLabel("stable")));

    assertThat(byVersion.getModelVersionStatusList())
        .extracting(ModelVersionStatus::getVersion)
        .containsExactly(2L);
    assertThat(byLabel.getModelVersionStatusList())
        .singleElement()
        .satisfies(
            version -> {
              assertThat(version.getVersion()).isEqualTo(1);
              assertThat(version.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
            });
  }

  @Test
  void anUnknownModelVersionOrLabelIsNotFound() {
    assertNotFound(
        GetModelStatusRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("nope"))
            .build(),
        "nope");
    assertNotFound(request(ModelSpec.newBuilder().setVersion(Int64Value.of(9))), "9");
    assertNotFound(request(ModelSpec.newBuilder().setVersionLabel("gold")), "gold");
  }

  private static GetModelStatusRequest request(ModelSpec.Builder spec) {
    return GetModelStatusRequest.newBuilder().setModelSpec(spec.setName("mini")).build();
  }

  private static void assertNotFound(GetModelStatusRequest request, String messagePart) {
    assertThatThrownBy(() -> models.getModelStatus(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }
}
