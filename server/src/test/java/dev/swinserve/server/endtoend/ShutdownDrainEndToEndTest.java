package dev.swinserve.server.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.UnansweredRequests;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import dev.swinserve.server.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with a drain delay: health says NOT_SERVING at once while the server goes on accepting
 * and answering; and a stream that the end of the grace period cuts off says which requests it left
 * unanswered.
 */
class ShutdownDrainEndToEndTest {

  @TempDir Path work;

  @Test
  void duringTheDrainDelayHealthSaysNotServingAndCallsAreStillAnswered() throws Exception {
    ServerProcess server = ServerProcess.startServingMini(work, "shutdown_drain_delay_ms: 8000\n");
    ManagedChannel channel = server.channel();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    HealthCheckRequest everything = HealthCheckRequest.getDefaultInstance();
    assertThat(health.check(everything).getStatus()).isEqualTo(ServingStatus.SERVING);
    ClassifyRequest request =
        Requests.to("mini")
            .setRequestId("r")
            .addImages(
                Requests.encoded(
                    Files.readAllBytes(dev.swinserve.format.testing.Fixtures.image("chelsea.png"))))
            .build();

    server.signalTerminate();
    ServingStatus status = ServingStatus.SERVING;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (status == ServingStatus.SERVING && System.nanoTime() < until) {
      status = health.withDeadlineAfter(10, TimeUnit.SECONDS).check(everything).getStatus();
    }
    assertThat(status).as("health after SIGTERM").isEqualTo(ServingStatus.NOT_SERVING);

    // Still accepting new connections, and answering unary calls and streams.
    ManagedChannel fresh = server.channel();
    ClassifyResponse unary =
        ClassifierGrpc.newBlockingStub(fresh)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .classify(request);
    RecordedStream streamed = new RecordedStream();
    StreamObserver<ClassifyRequest> stream =
        ClassifierGrpc.newStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .classifyStream(streamed);
    stream.onNext(request);
    stream.onCompleted();
    Status streamStatus = streamed.end().get(30, TimeUnit.SECONDS);
    int exitCode = server.terminate();

    assertThat(unary.getClassificationsCount()).isEqualTo(1);
    assertThat(streamStatus.getCode())
        .as("stream status %s", streamStatus)
        .isEqualTo(Status.Code.OK);
    assertThat(streamed.responses()).hasSize(1);
    assertThat(exitCode).isZero();
    assertThat(server.log()).contains("still answering for 8000 ms").contains("stopped");
    channel.shutdownNow();
    fresh.shutdownNow();
  }

  @Test
  void aStreamCutOffAtTheEndOfTheGracePeriodListsItsUnansweredRequests() throws Exception {
    ServerProcess server =
        ServerProcess.startServingMini(
            work, "shutdown_grace_ms: 100\nstreams: {max_in_flight: 16}\n");
    ManagedChannel channel = server.channel();
    RecordedStream stream = new RecordedStream();
    StreamObserver<ClassifyRequest> requests =
        ClassifierGrpc.newStub(channel).classifyStream(stream);
    // 16 requests of 4 large flat PNGs: a few kilobytes each, all read by the server at once (one
    // flow-control window, max in flight 16), tens of milliseconds each to decode.
    Image image = Requests.encoded(TestImages.flatPng(2048));
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      ClassifyRequest.Builder request = Requests.to("mini").setRequestId("g" + i);
      for (int j = 0; j < 4; j++) {
        request.addImages(image);
      }
      requests.onNext(request.build());
      sent.add("g" + i);
    }
    requests.onCompleted();
    assertThat(stream.awaitFirstResponse(60, TimeUnit.SECONDS)).isTrue();

    int exitCode = server.terminate();
    Status status = stream.end().get(30, TimeUnit.SECONDS);

    assertThat(exitCode).isZero();
    assertThat(status.getCode()).as("stream status %s", status).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("grace period is over");
    List<String> unanswered = unansweredIn(stream.error().get());
    assertThat(unanswered).as("unanswered requests listed").isNotEmpty();
    List<String> answered =
        stream.responses().stream().map(ClassifyResponse::getRequestId).toList();
    assertThat(answered).doesNotContainAnyElementsOf(unanswered);
    List<String> all = new ArrayList<>(answered);
    all.addAll(unanswered);
    assertThat(all)
        .as("answered and listed as unanswered")
        .containsExactlyInAnyOrderElementsOf(sent);
    channel.shutdownNow();
  }

  private static List<String> unansweredIn(Throwable error) throws InvalidProtocolBufferException {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    assertThat(status).as("status details of %s", error).isNotNull();
    for (Any detail : status.getDetailsList()) {
      if (detail.is(UnansweredRequests.class)) {
        UnansweredRequests unanswered = detail.unpack(UnansweredRequests.class);
        assertThat(unanswered.getNotListed()).isZero();
        return unanswered.getRequestIdsList();
      }
    }
    throw new AssertionError("no UnansweredRequests in the status details: " + status);
  }
}
