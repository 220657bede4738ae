package dev.swinserve.server.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import dev.swinserve.server.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a stream has requests in flight: every request the server read is answered, exit 0.
 */
class GracefulShutdownEndToEndTest {

  private static final int REQUESTS = 16;
  private static final int IMAGES_PER_REQUEST = 2;

  @TempDir Path work;

  @Test
  void sigtermDuringAStreamLosesNoAcceptedRequest() throws Exception {
    ServerProcess server = ServerProcess.startServingMini(work, "streams: {max_in_flight: 16}\n");
    ManagedChannel channel = server.channel();
    RecordedStream stream = new RecordedStream();
    List<ClassifyResponse> responses = stream.responses();
    StreamObserver<ClassifyRequest> requests =
        ClassifierGrpc.newStub(channel).classifyStream(stream);
    // A large, flat PNG: a few kilobytes to send, tens of milliseconds to decode and resize. The
    // whole stream fits in one HTTP/2 flow-control window (1 MiB) and within the server's max in
    // flight, so the server reads every request at once, long before it can answer the last.
    Image image = Requests.encoded(TestImages.flatPng(2048));
    assertThat(REQUESTS * IMAGES_PER_REQUEST * image.getEncoded().size()).isLessThan(768 * 1024);
    for (int i = 0; i < REQUESTS; i++) {
      ClassifyRequest.Builder request = Requests.to("mini").setRequestId("q" + i);
      for (int j = 0; j < IMAGES_PER_REQUEST; j++) {
        request.addImages(image);
      }
      requests.onNext(request.build());
    }
    requests.onCompleted();
    assertThat(stream.awaitFirstResponse(60, TimeUnit.SECONDS)).isTrue();

    int answeredBeforeSigterm = responses.size();
    int exitCode = server.terminate();
    Status status = stream.end().get(30, TimeUnit.SECONDS);

    assertThat(answeredBeforeSigterm)
        .as("requests answered when SIGTERM was sent")
        .isLessThan(REQUESTS / 2);
    assertThat(exitCode).as("exit code after SIGTERM").isZero();
    assertThat(responses).as("responses (stream ended with %s)", status).hasSize(REQUESTS);
    assertThat(responses).extracting(ClassifyResponse::getRequestId).doesNotHaveDuplicates();
    assertThat(responses)
        .allSatisfy(
            response -> {
              assertThat(response.hasError()).as(response.getRequestId()).isFalse();
              assertThat(response.getClassificationsCount()).isEqualTo(IMAGES_PER_REQUEST);
            });
    assertThat(server.log()).contains("shutting down").contains("stopped");
    channel.shutdownNow();
  }
}
