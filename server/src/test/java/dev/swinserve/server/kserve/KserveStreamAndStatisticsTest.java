package dev.swinserve.server.kserve;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelStatistics;
import dev.swinserve.api.kserve.ModelStatisticsRequest;
import dev.swinserve.api.kserve.ModelStreamInferResponse;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.grpc.StreamCall;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.LogCapture;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.TestConfigs;
import dev.swinserve.server.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's ModelStreamInfer and ModelStatistics over loopback TCP (port 0) on the production
 * modules, on real SavedModels made from the fixtures: mini versions 1 and 2, {@code stable} on 1;
 * streams stall out after 1.5 s.
 */
class KserveStreamAndStatisticsTest {

  private static final String STALL_WARNING =
      "closing a ModelStreamInfer whose client stopped reading";

  @TempDir static Path repository;
  private static SwinserveServer server;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
  private static FixtureRepository.Reference reference;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    server =
        LoopbackServers.start(
            TestConfigs.withRepository(repository, "streams: {stall_timeout_ms: 1500}")
                .withHost("127.0.0.1"));
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
  void everyRequestOfAStreamIsAnsweredOnceUnderItsIdWithTheReferenceLogits() throws Exception {
    Recorded stream = new Recorded();
    StreamObserver<ModelInferRequest> requests =
        GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(stream);
    int count = 40;
    for (int i = 0; i < count; i++) {
      requests.onNext(
          pixels(i % reference.count())
              .setId("r" + i)
              .setModelVersion(i % 2 == 0 ? "1" : "2")
              .build());
    }
    requests.onCompleted();

    assertThat(stream.end.get(120, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(stream.responses).hasSize(count);
    Map<String, ModelStreamInferResponse> byId = new HashMap<>();
    for (ModelStreamInferResponse response : stream.responses) {
      assertThat(response.getErrorMessage()).isEmpty();
      byId.put(response.getInferResponse().getId(), response);
    }
    assertThat(byId).as("one response per id").hasSize(count);
    for (int i = 0; i < count; i++) {
      var response = byId.get("r" + i).getInferResponse();
      assertThat(response.getModelVersion()).isEqualTo(i % 2 == 0 ? "1" : "2");
      float[] logits = InferRequests.output(response, "logits")[0];
      assertThat(FixtureRepository.relativeError(logits, reference.logitsOf(i % reference.count())))
          .isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void aFailedRequestIsAnsweredWithItsErrorAndTheStreamGoesOn() throws Exception {
    Recorded stream = new Recorded();
    StreamObserver<ModelInferRequest> requests =
        GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(stream);
    requests.onNext(pixels(0).setId("before").build());
    requests.onNext(pixels(0).setId("no-such-model").setModelName("nope").build());
    requests.onNext(pixels(0).setId("bad-version").setModelVersion("latest").build());
    requests.onNext(pixels(0).setId("after").build());
    requests.onCompleted();

    assertThat(stream.end.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    Map<String, ModelStreamInferResponse> byId = new HashMap<>();
    stream.responses.forEach(response -> byId.put(response.getInferResponse().getId(), response));
    assertThat(byId).containsOnlyKeys("before", "no-such-model", "bad-version", "after");
    assertThat(byId.get("before").getErrorMessage()).isEmpty();
    assertThat(byId.get("after").getErrorMessage()).isEmpty();
    assertThat(byId.get("after").getInferResponse().getOutputsCount()).isEqualTo(2);
    assertThat(byId.get("no-such-model").getErrorMessage())
        .startsWith("NOT_FOUND")
        .contains("nope");
    assertThat(byId.get("no-such-model").getInferResponse().getModelName()).isEqualTo("nope");
    assertThat(byId.get("bad-version").getErrorMessage())
        .startsWith("INVALID_ARGUMENT")
        .contains("'latest'");
  }

  @Test
  void aClientThatStopsReadingIsCutOffWhileOthersAreServed() throws Exception {
    byte[] image = TestImages.png(4, 4);
    ManagedChannel stalled =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .flowControlWindow(32 * 1024)
            .build();
    try (LogCapture log = LogCapture.of(StreamCall.class)) {
      StalledReader reader = new StalledReader();
      StreamObserver<ModelInferRequest> requests =
          GRPCInferenceServiceGrpc.newStub(stalled).modelStreamInfer(reader);
      int count = 5_000;
      for (int i = 0; i < count; i++) {
        requests.onNext(
            InferRequests.to("mini")
                .setId("s" + i)
                .addInputs(InferRequests.encoded(List.of(image)))
                .build());
      }
      int politeCalls = 0;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < until && (politeCalls == 0 || !stalledOut(log))) {
        inference
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .modelInfer(pixels(0).build()); // fails the test if it fails
        politeCalls++;
      }

      reader.call.request(Integer.MAX_VALUE);
      Status status = reader.end.get(30, TimeUnit.SECONDS);

      assertThat(stalledOut(log)).as("the stall warning was logged").isTrue();
      assertThat(politeCalls).isPositive();
      // Told either way, long before its own deadline: the reset (CANCELLED) overtakes the
      // RESOURCE_EXHAUSTED status that waits behind the unread responses, unless the client's
      // reading, resumed just above, lets the status through first (seen on a loaded machine).
      assertThat(status.getCode())
          .as("status %s", status)
          .isIn(Status.Code.CANCELLED, Status.Code.RESOURCE_EXHAUSTED);
      assertThat(reader.responses.get())
          .as("the server stopped reading long before %d", count)
          .isLessThan(count / 2);
    } finally {
      stalled.shutdownNow();
    }
  }

  @Test
  void statisticsCountTheCallsOfEachVersionAndTheModelsFailures() {
    ModelStatistics before = versionStatistics("2");
    long failedBefore = failures();
    int calls = 5;
    for (int i = 0; i < calls; i++) {
      inference.modelInfer(
          InferRequests.to("mini")
              .setModelVersion("2")
              .addInputs(
                  InferRequests.pixels(
                      reference.side(), List.of(reference.image(0), reference.image(1))))
              .build());
    }
    assertThatThrownBy(
            () -> inference.modelInfer(pixels(0).setModelVersion("2").clearInputs().build()))
        .isInstanceOf(StatusRuntimeException.class);

    ModelStatistics after = versionStatistics("2");
    var stats = after.getInferenceStats();
    var statsBefore = before.getInferenceStats();
    assertThat(stats.getSuccess().getCount() - statsBefore.getSuccess().getCount())
        .isEqualTo(calls);
    assertThat(stats.getSuccess().getNs()).isGreaterThan(statsBefore.getSuccess().getNs());
    assertThat(after.getInferenceCount() - before.getInferenceCount())
        .as("images run")
        .isEqualTo(2L * calls);
    long batches = after.getExecutionCount() - before.getExecutionCount();
    assertThat(batches).isBetween(1L, (long) calls);
    assertThat(stats.getComputeInfer().getCount() - statsBefore.getComputeInfer().getCount())
        .isEqualTo(batches);
    assertThat(stats.getQueue().getCount() - statsBefore.getQueue().getCount()).isEqualTo(calls);
    assertThat(failures() - failedBefore).isEqualTo(1);

    assertThat(
            inference
                .modelStatistics(ModelStatisticsRequest.getDefaultInstance())
                .getModelStatsList())
        .extracting(ModelStatistics::getVersion)
        .contains("1", "2");
    assertStatus(() -> statistics("nope", ""), Status.Code.NOT_FOUND, "nope");
    assertStatus(() -> statistics("mini", "9"), Status.Code.NOT_FOUND, "9");
    assertStatus(() -> statistics("mini", "two"), Status.Code.INVALID_ARGUMENT, "'two'");
  }

  private static ModelStatistics versionStatistics(String version) {
    List<ModelStatistics> stats = statistics("mini", version);
    assertThat(stats).hasSize(1);
    assertThat(stats.get(0).getVersion()).isEqualTo(version);
    return stats.get(0);
  }

  private static long failures() {
    return statistics("mini", "").stream()
        .filter(stats -> stats.getVersion().isEmpty())
        .mapToLong(stats -> stats.getInferenceStats().getFail().getCount())
        .sum();
  }

  private static List<ModelStatistics> statistics(String name, String version) {
    return inference
        .modelStatistics(
            ModelStatisticsRequest.newBuilder().setName(name).setVersion(version).build())
        .getModelStatsList();
  }

  private static ModelInferRequest.Builder pixels(int image) {
    return InferRequests.to("mini")
        .addInputs(InferRequests.pixels(reference.side(), List.of(reference.image(image))));
  }

  private static boolean stalledOut(LogCapture log) {
    return log.records().stream().anyMatch(record -> record.getMessage().contains(STALL_WARNING));
  }

  private static void assertStatus(Runnable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }

  /** The responses of one stream, and how it ended. */
  private static final class Recorded implements StreamObserver<ModelStreamInferResponse> {
    final List<ModelStreamInferResponse> responses = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    @Override
    public void onNext(ModelStreamInferResponse response) {
      responses.add(response);
    }

    @Override
    public void onError(Throwable error) {
      end.complete(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  /** Asks for no responses until told to. */
  private static final class StalledReader
      implements ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse> {
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final AtomicInteger responses = new AtomicInteger();
    volatile ClientCallStreamObserver<ModelInferRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<ModelInferRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(0);
    }

    @Override
    public void onNext(ModelStreamInferResponse response) {
      responses.incrementAndGet();
    }

    @Override
    public void onError(Throwable error) {
      end.complete(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }
}
