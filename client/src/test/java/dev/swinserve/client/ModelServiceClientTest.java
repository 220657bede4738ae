package dev.swinserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.RemoveLabelRequest;
import dev.swinserve.api.v1.RepositoryProblem;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.client.testing.FakeServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelServiceClientTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final ModelStatus TINY =
      ModelStatus.newBuilder().setName("tiny").setServing(true).build();
  private static final ModelStatus BASE = ModelStatus.newBuilder().setName("base").build();

  private final FakeServer server = new FakeServer();
  private final ModelServiceClient client = new ModelServiceClient(server.channel());

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void listsAndReloadsEveryModel() {
    server.modelService().serve(TINY, BASE);

    assertThat(client.listModels(DEADLINE)).containsExactly(TINY, BASE);
    assertThat(client.reloadRepository(DEADLINE)).containsExactly(TINY, BASE);
    assertThat(server.modelService().reloads()).isEqualTo(1);
  }

  @Test
  void getsOneModelsStatusBySpec() {
    server.modelService().serve(TINY, BASE);
    ModelSpec spec = ModelSpec.newBuilder().setName("base").setLabel("canary").build();

    assertThat(client.getModelStatus(spec, DEADLINE)).isEqualTo(BASE);
    assertThat(server.modelService().statusRequests()).containsExactly(spec);
  }

  @Test
  void setLabelSendsModelLabelAndVersion() {
    server.modelService().serve(TINY);

    assertThat(client.setLabel("tiny", "stable", 4, DEADLINE)).isEqualTo(TINY);
    assertThat(server.modelService().setLabelRequests())
        .containsExactly(
            SetLabelRequest.newBuilder().setModel("tiny").setLabel("stable").setVersion(4).build());
  }

  @Test
  void removeLabelSendsModelAndLabel() {
    server.modelService().serve(TINY);

    assertThat(client.removeLabel("tiny", "canary", DEADLINE)).isEqualTo(TINY);
    assertThat(server.modelService().removeLabelRequests())
        .containsExactly(
            RemoveLabelRequest.newBuilder().setModel("tiny").setLabel("canary").build());
  }

  @Test
  void listsTheRepositorysProblemsWithTheModels() {
    server.modelService().serve(TINY);
    RepositoryProblem problem =
        RepositoryProblem.newBuilder()
            .setPath("bad name")
            .setReason("not a valid model name")
            .build();
    server.modelService().reportProblems(problem);

    assertThat(client.listModelsAndProblems(DEADLINE).getProblemsList()).containsExactly(problem);
  }

  @Test
  void unknownModelIsNotFound() {
    assertThatThrownBy(
            () -> client.getModelStatus(ModelSpec.newBuilder().setName("nope").build(), DEADLINE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }
}
