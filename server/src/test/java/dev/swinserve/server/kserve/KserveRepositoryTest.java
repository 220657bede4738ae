package dev.swinserve.server.kserve;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelReadyRequest;
import dev.swinserve.api.kserve.ModelRepositoryParameter;
import dev.swinserve.api.kserve.RepositoryIndexRequest;
import dev.swinserve.api.kserve.RepositoryIndexResponse.ModelIndex;
import dev.swinserve.api.kserve.RepositoryModelLoadRequest;
import dev.swinserve.api.kserve.RepositoryModelUnloadRequest;
import dev.swinserve.api.kserve.ServerReadyRequest;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's model repository extension over loopback TCP (port 0) on the production modules, on real
 * SavedModels made from the fixtures: {@code mini} (versions 1 and 2), {@code other} (version 1)
 * and {@code half} (versions 1 and 2 served, version 2 a corrupt SavedModel).
 */
class KserveRepositoryTest {

  @TempDir static Path repository;
  private static SwinserveServer server;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
  private static FixtureRepository.Reference reference;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    FixtureRepository.add(repository, "other", 1, MINI);
    FixtureRepository.add(repository, "half", 1, MINI);
    Path corrupt = FixtureRepository.add(repository, "half", 2, MINI);
    Files.write(corrupt.resolve("saved_model.pb"), new byte[] {0x0a, 0x7f, 0x01, 0x02});
    Files.writeString(
        repository.resolve("half").resolve("model.yaml"), "version_policy: {all: {}}\n");
    server = LoopbackServers.start(TestConfigs.withRepository(repository).withHost("127.0.0.1"));
    channel = LoopbackServers.channel(server);
    inference = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    reference = FixtureRepository.reference(MINI);
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.shutdown();
  }

  @Test
  void theIndexListsEveryVersionWithTritonsStates() {
    assertThat(index(false))
        .contains(
            entry("mini", "1", "READY", ""),
            entry("mini", "2", "READY", ""),
            entry("other", "1", "READY", ""));
    ModelIndex failed =
        index(false).stream()
            .filter(model -> model.getName().equals("half") && model.getVersion().equals("2"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.getState()).isEqualTo("UNAVAILABLE");
    assertThat(failed.getReason()).isNotEmpty();
    assertThat(index(true)).extracting(ModelIndex::getState).containsOnly("READY");
    assertThat(index(true)).doesNotContain(failed);
  }

  @Test
  void unloadStopsAModelAndLoadBringsItBackWhileAnotherKeepsServing() throws Exception {
    Map<Path, Long> filesBefore = files();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger served = new AtomicInteger();
    CompletableFuture<Void> traffic =
        CompletableFuture.runAsync(
            () -> {
              while (!stop.get()) {
                inference.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(infer("mini").build());
                served.incrementAndGet();
              }
            });
    try {
      inference.repositoryModelUnload(
          RepositoryModelUnloadRequest.newBuilder().setModelName("other").build());

      assertThat(index(false)).contains(entry("other", "1", "UNAVAILABLE", "unloaded"));
      assertThat(index(true)).extracting(ModelIndex::getName).doesNotContain("other");
      assertThat(ready("other")).isFalse();
      assertStatus(
          () -> inference.modelInfer(infer("other").build()),
          Status.Code.UNAVAILABLE,
          "model 'other' is unloaded");
      assertStatus(
          () -> inference.modelInfer(infer("other").setModelVersion("1").build()),
          Status.Code.UNAVAILABLE,
          "unloaded");
      assertThat(inference.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
          .as("an unloaded model does not make the server unready")
          .isTrue();
      // Unloading twice is no error.
      inference.repositoryModelUnload(
          RepositoryModelUnloadRequest.newBuilder().setModelName("other").build());

      inference.repositoryModelLoad(
          RepositoryModelLoadRequest.newBuilder().setModelName("other").build());

      assertThat(index(true)).contains(entry("other", "1", "READY", ""));
      assertThat(ready("other")).isTrue();
      float[] logits =
          InferRequests.output(inference.modelInfer(infer("other").build()), "logits")[0];
      assertThat(FixtureRepository.relativeError(logits, reference.logitsOf(0)))
          .isLessThanOrEqualTo(1e-4);
    } finally {
      stop.set(true);
    }
    traffic.get(60, TimeUnit.SECONDS); // rethrows any failed call of the other model's traffic
    assertThat(served.get()).isPositive();
    assertThat(files()).as("the repository is untouched").isEqualTo(filesBefore);
  }

  @Test
  void aLoadThatFailsLeavesAnUnloadedModelUnloadedAndSaysWhy() throws IOException {
    Map<Path, Long> filesBefore = files();
    inference.repositoryModelUnload(
        RepositoryModelUnloadRequest.newBuilder().setModelName("half").build());

    assertStatus(
        () ->
            inference.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("half").build()),
        Status.Code.UNAVAILABLE,
        "model 'half' did not load: version 2 FAILED");

    assertStatus(
        () -> inference.modelInfer(infer("half").build()),
        Status.Code.UNAVAILABLE,
        "model 'half' is unloaded");
    assertThat(index(false)).contains(entry("half", "1", "UNAVAILABLE", "unloaded"));
    assertThat(files()).isEqualTo(filesBefore);
  }

  @Test
  void unknownNamesAndWritingParametersAreRefused() {
    assertStatus(
        () ->
            inference.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("nope").build()),
        Status.Code.NOT_FOUND,
        "nope");
    assertStatus(
        () ->
            inference.repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("nope").build()),
        Status.Code.NOT_FOUND,
        "nope");
    assertStatus(
        () -> inference.repositoryModelUnload(RepositoryModelUnloadRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "model_name");
    assertStatus(
        () ->
            inference.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder()
                    .setModelName("mini")
                    .putParameters(
                        "config",
                        ModelRepositoryParameter.newBuilder().setStringParam("{}").build())
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "config");
    assertThat(ready("mini")).isTrue();
  }

  private static ModelInferRequest.Builder infer(String model) {
    return InferRequests.to(model)
        .addInputs(InferRequests.pixels(reference.side(), List.of(reference.image(0))));
  }

  private static List<ModelIndex> index(boolean ready) {
    return inference
        .repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(ready).build())
        .getModelsList();
  }

  private static ModelIndex entry(String name, String version, String state, String reason) {
    return ModelIndex.newBuilder()
        .setName(name)
        .setVersion(version)
        .setState(state)
        .setReason(reason)
        .build();
  }

  private static boolean ready(String model) {
    return inference.modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady();
  }

  /** Every file in the repository with its modification time. */
  private static Map<Path, Long> files() throws IOException {
    Map<Path, Long> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(repository)) {
      for (Path path : paths.toList()) {
        files.put(path, Files.getLastModifiedTime(path).toMillis());
      }
    }
    return files;
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }
}
