package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ListModelsResponse;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.RemoveLabelRequest;
import dev.swinserve.api.v1.RepositoryProblem;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.Requests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a serving version's folder, labels whose version is gone, removing labels and what the
 * repository refuses, over gRPC with real models.
 */
class ModelServiceAvailabilityTest {

  @TempDir Path repository;
  @TempDir Path outside;

  @Test
  void deletingTheFolderOfTheStableVersionUnderLoadFailsNoCallAndLeavesTheLabelDangling()
      throws Exception {
    FixtureRepository.add(repository, "mini", 3, MINI);
    FixtureRepository.add(repository, "mini", 4, MINI);

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      var health = HealthGrpc.newBlockingStub(server.channel());
      HealthCheckRequest mini = HealthCheckRequest.newBuilder().setService("mini").build();
      models.setLabel(
          SetLabelRequest.newBuilder().setModel("mini").setLabel("stable").setVersion(4).build());
      ClassifyRequest request =
          Requests.to("mini")
              .addImages(Requests.pixels(64, FixtureRepository.reference(MINI).image(0)))
              .build();
      AtomicBoolean running = new AtomicBoolean(true);
      // One permit per answered call, so the test can block until enough calls went through.
      Semaphore answered = new Semaphore(0);
      List<String> failures = new CopyOnWriteArrayList<>();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread client =
            new Thread(
                () -> {
                  var classifier = ClassifierGrpc.newBlockingStub(server.channel());
                  while (running.get()) {
                    try {
                      classifier.withDeadlineAfter(20, TimeUnit.SECONDS).classify(request);
                      answered.release();
                    } catch (StatusRuntimeException e) {
                      failures.add(e.getStatus().toString());
                    }
                    if (health.check(mini).getStatus() != ServingStatus.SERVING) {
                      failures.add("health NOT_SERVING");
                    }
                  }
                });
        client.start();
        clients.add(client);
      }
      awaitCalls(answered, 10);

      delete(repository.resolve("mini/4"));
      ListModelsResponse reloaded =
          models.reloadRepository(ReloadRepositoryRequest.getDefaultInstance());
      answered.drainPermits();
      awaitCalls(answered, 20);
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }

      assertThat(failures).as("failed calls and health checks").isEmpty();
      ModelStatus status = reloaded.getModels(0);
      assertThat(status.getDanglingLabelsList()).containsExactly("stable");
      assertThat(status.getServing()).isTrue();
      assertThat(status.getDefaultVersion()).isEqualTo(3);
      assertThat(health.check(mini).getStatus()).isEqualTo(ServingStatus.SERVING);
      var classifier = ClassifierGrpc.newBlockingStub(server.channel());
      assertThat(classifier.classify(request).getModel().getVersion()).isEqualTo(3);
      ClassifyRequest byLabel =
          request.toBuilder()
              .setModel(ModelSpec.newBuilder().setName("mini").setLabel("stable"))
              .build();
      assertThatThrownBy(() -> classifier.classify(byLabel))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(e.getStatus().getDescription())
                    .contains("label 'stable'", "version 4", "dangles");
              });
    }
  }

  @Test
  void removeLabelRemovesRunTimeLabelsAndRefusesThoseOfModelYaml() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    Files.writeString(repository.resolve("mini/model.yaml"), "labels: {stable: 1}\n");

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      models.setLabel(
          SetLabelRequest.newBuilder().setModel("mini").setLabel("canary").setVersion(1).build());

      ModelStatus status =
          models.removeLabel(
              RemoveLabelRequest.newBuilder().setModel("mini").setLabel("canary").build());

      assertThat(status.getLabelsMap()).containsOnlyKeys("stable");
      assertThatThrownBy(
              () ->
                  models.removeLabel(
                      RemoveLabelRequest.newBuilder().setModel("mini").setLabel("stable").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains("model.yaml");
              });
      assertThatThrownBy(
              () ->
                  models.removeLabel(
                      RemoveLabelRequest.newBuilder().setModel("mini").setLabel("canary").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      assertThatThrownBy(
              () ->
                  models.setLabel(
                      SetLabelRequest.newBuilder()
                          .setModel("mini")
                          .setLabel("x".repeat(10_000))
                          .setVersion(1)
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription())
                    .contains("at most 64 characters")
                    .hasSizeLessThan(400);
              });
    }
  }

  @Test
  void modelYamlErrorsAndRefusedPathsAreReported() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    FixtureRepository.add(repository, "mini", 2, MINI);
    Path secret = Files.writeString(outside.resolve("secret"), "outside");
    Files.delete(repository.resolve("mini/2/saved_model.pb"));
    Files.createSymbolicLink(repository.resolve("mini/2/saved_model.pb"), secret);
    Files.createDirectories(repository.resolve("bad name/1"));

    try (InProcessServer server = InProcessServer.start(repository)) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      Files.writeString(repository.resolve("mini/model.yaml"), "version_policy: [\n");

      ListModelsResponse response =
          models.reloadRepository(ReloadRepositoryRequest.getDefaultInstance());
      ModelStatus status = models.getModelStatus(ModelSpec.newBuilder().setName("mini").build());

      assertThat(response.getProblemsList())
          .extracting(RepositoryProblem::getPath)
          .containsExactly("bad name");
      assertThat(models.listModels(ListModelsRequest.getDefaultInstance()).getProblemsList())
          .isEqualTo(response.getProblemsList());
      assertThat(status.getError()).contains("model.yaml", "not valid YAML");
      assertThat(status.getProblemsList())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.getPath()).isEqualTo("mini/2");
                assertThat(problem.getReason())
                    .contains("saved_model.pb is a symbolic link", "outside the model repository");
              });
      assertThat(status.getVersionsList()).extracting(v -> v.getVersion()).containsExactly(1L);
    }
  }

  /** Blocks until {@code count} more calls have been answered, failing after 60 s. */
  private static void awaitCalls(Semaphore answered, int count) throws InterruptedException {
    if (!answered.tryAcquire(count, 60, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "timed out waiting for " + count + " calls, got " + answered.availablePermits());
    }
  }

  private static void delete(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
